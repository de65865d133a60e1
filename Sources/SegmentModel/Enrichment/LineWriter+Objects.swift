extension LineWriter {
    /// Writes `context`: the event's members over the batch's, plus `library` and `ip` defaults, sorted.
    func writeContext(nested members: inout [MemberRef], into output: inout [UInt8]) {
        members.removeAll(keepingCapacity: true)
        // Batch members rank below every event member; among equals, the later one wins.
        if envelope.context != nil {
            if let recorded = spans.envelopeContext {
                sources.appendMembers(recorded, in: .envelopeContext, precedence: 0, into: &members)
            } else {
                sources.collectMembers(
                    of: .envelopeContext, in: 0..<sources.envelopeContext.count, precedence: 0, into: &members)
            }
        }
        if let value = clientValue(.context), clientKind(.context) == UInt8(ascii: "{") {
            if let recorded = spans.eventContext {
                sources.appendMembers(recorded, in: .event, precedence: MemberRef.eventPrecedence, into: &members)
            } else {
                sources.collectMembers(of: .event, in: value, precedence: MemberRef.eventPrecedence, into: &members)
            }
        }
        sources.sortAndDeduplicate(&members)
        let library = KeyName("library")
        let ip = KeyName("ip")
        var hasLibrary = false
        var hasIP = false
        for member in members {
            if sources.keyEquals(member, library) { hasLibrary = true }
            if sources.keyEquals(member, ip) { hasIP = true }
        }
        if !hasLibrary {
            members.append(sources.extra(key: extras.libraryKey, value: extras.libraryValue))
        }
        if !hasIP, let ipValue = extras.ipValue {
            members.append(sources.extra(key: extras.ipKey, value: ipValue))
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
        sources.collectMembers(of: .event, in: own, precedence: MemberRef.eventPrecedence, into: &members)
        sources.sortAndDeduplicate(&members)
        sources.writeObject(members, into: &output)
    }
}
