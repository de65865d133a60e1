extension LineWriter {
    /// Writes `context`: the event's members over the batch's, plus `library` and `ip` defaults, sorted.
    func writeContext(nested members: inout [MemberRef], into output: inout [UInt8]) {
        members.removeAll(keepingCapacity: true)
        // Batch members rank below every event member; among equals, the later one wins.
        if envelope.context != nil {
            sources.collectMembers(
                of: .envelopeContext, in: 0..<sources.envelopeContext.count, precedence: 0, into: &members)
        }
        if let value = clientValue(.context), clientKind(.context) == UInt8(ascii: "{") {
            sources.collectMembers(of: .event, in: value, precedence: 1 << 40, into: &members)
        }
        sources.sortAndDeduplicate(&members)
        var hasLibrary = false
        var hasIP = false
        for member in members {
            sources.withKey(member) { key in
                if key.elementsEqual("library".utf8) { hasLibrary = true }
                if key.elementsEqual("ip".utf8) { hasIP = true }
            }
        }
        if !hasLibrary {
            members.append(
                MemberRef(
                    source: .extras, key: extras.libraryKey, decodedKey: nil, value: extras.libraryValue,
                    precedence: -1))
        }
        if !hasIP, let ipValue = extras.ipValue {
            members.append(
                MemberRef(source: .extras, key: extras.ipKey, decodedKey: nil, value: ipValue, precedence: -1))
        }
        if !hasLibrary || (!hasIP && extras.ipValue != nil) {
            sources.sortAndDeduplicate(&members)
        }
        sources.writeObject(members, into: &output)
    }

    /// Writes `integrations`: the event's own (merged over the batch's when both are objects), else the batch's,
    /// else `{}`.
    func writeIntegrations(nested members: inout [MemberRef], into output: inout [UInt8]) {
        let own = clientKind(.integrations) == UInt8(ascii: "n") ? nil : clientValue(.integrations)
        guard let own else {
            if envelope.integrations != nil {
                output.append(contentsOf: sources.envelopeIntegrations)
            } else {
                output.append(contentsOf: "{}".utf8)
            }
            return
        }
        guard envelope.integrations != nil, clientKind(.integrations) == UInt8(ascii: "{") else {
            output.append(contentsOf: sources.bytes(.event, own))
            return
        }
        members.removeAll(keepingCapacity: true)
        sources.collectMembers(
            of: .envelopeIntegrations, in: 0..<sources.envelopeIntegrations.count, precedence: 0, into: &members)
        sources.collectMembers(of: .event, in: own, precedence: 1 << 40, into: &members)
        sources.sortAndDeduplicate(&members)
        sources.writeObject(members, into: &output)
    }
}
