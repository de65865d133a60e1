extension LineWriter {
    static let library = Array("library".utf8)
    static let libraryPrefix = library.withUnsafeBufferPointer { MemberRef.prefix(of: $0) }
    static let ip = Array("ip".utf8)
    static let ipPrefix = ip.withUnsafeBufferPointer { MemberRef.prefix(of: $0) }

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
        var hasLibrary = false
        var hasIP = false
        for member in members {
            if sources.keyEquals(member, Self.library, namePrefix: Self.libraryPrefix) { hasLibrary = true }
            if sources.keyEquals(member, Self.ip, namePrefix: Self.ipPrefix) { hasIP = true }
        }
        if !hasLibrary {
            members.append(
                sources.member(
                    .extras, key: extras.libraryKey, hasEscapes: false, value: extras.libraryValue, precedence: -1))
        }
        if !hasIP, let ipValue = extras.ipValue {
            members.append(
                sources.member(.extras, key: extras.ipKey, hasEscapes: false, value: ipValue, precedence: -1))
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
