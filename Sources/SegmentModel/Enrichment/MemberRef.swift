/// The buffers an enriched line is assembled from; members point into them by index.
struct ByteSources {
    enum Source: UInt8 {
        case event, envelopeContext, envelopeIntegrations, envelopeSentAt, extras
    }

    var event: UnsafeBufferPointer<UInt8>
    var envelopeContext: UnsafeBufferPointer<UInt8>
    var envelopeIntegrations: UnsafeBufferPointer<UInt8>
    var envelopeSentAt: UnsafeBufferPointer<UInt8>
    var extras: UnsafeBufferPointer<UInt8>

    subscript(source: Source) -> UnsafeBufferPointer<UInt8> {
        switch source {
        case .event: event
        case .envelopeContext: envelopeContext
        case .envelopeIntegrations: envelopeIntegrations
        case .envelopeSentAt: envelopeSentAt
        case .extras: extras
        }
    }

    func bytes(_ source: Source, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[source][range])
    }
}

/// One member of an object being rebuilt: where its key and value bytes are, and how it ranks among duplicates.
struct MemberRef {
    var source: ByteSources.Source
    /// The raw key, quotes included, as it is written out again.
    var key: Range<Int>
    /// The decoded key, only for keys containing escapes; otherwise the raw content is the decoded key.
    var decodedKey: [UInt8]?
    var value: Range<Int>
    /// Among members with equal keys, the highest precedence wins.
    var precedence: Int
}

extension ByteSources {
    /// Appends the members of the object at `range` of `source`, with precedence `base + position`.
    func collectMembers(
        of source: Source, in range: Range<Int>, precedence base: Int, into members: inout [MemberRef]
    ) {
        // The bytes were validated when the request was decoded, so syntax errors cannot occur; if they somehow
        // did, the members read so far are kept.
        var cursor = JSONCursor(self[source], offset: range.lowerBound, maxDepth: .max)
        guard cursor.peek() == UInt8(ascii: "{"), (try? cursor.enterContainer(depth: 1)) != nil else { return }
        var first = true
        var position = 0
        while let key = try? cursor.nextKey(isFirst: &first), let value = cursor.skipValidatedValue() {
            var decoded: [UInt8]?
            if key.hasEscapes {
                var text: [UInt8] = []
                JSONString.decode(bytes(source, key.contentRange), into: &text)
                decoded = text
            }
            members.append(
                MemberRef(
                    source: source, key: key.range, decodedKey: decoded, value: value,
                    precedence: base + position))
            position += 1
        }
    }

    /// Calls `body` with the decoded key of `member`.
    func withKey<Result>(_ member: MemberRef, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let decoded = member.decodedKey {
            return decoded.withUnsafeBufferPointer(body)
        }
        return body(bytes(member.source, (member.key.lowerBound + 1)..<(member.key.upperBound - 1)))
    }

    func keyPrecedes(_ lhs: MemberRef, _ rhs: MemberRef) -> Bool {
        withKey(lhs) { left in withKey(rhs) { right in left.lexicographicallyPrecedes(right) } }
    }

    func keysEqual(_ lhs: MemberRef, _ rhs: MemberRef) -> Bool {
        withKey(lhs) { left in withKey(rhs) { right in left.elementsEqual(right) } }
    }

    /// Sorts members bytewise by decoded key and keeps, for each key, only the one with the highest precedence.
    func sortAndDeduplicate(_ members: inout [MemberRef]) {
        members.sort { keyPrecedes($0, $1) || (!keyPrecedes($1, $0) && $0.precedence < $1.precedence) }
        var kept = 0
        for index in members.indices {
            if index + 1 < members.count, keysEqual(members[index], members[index + 1]) { continue }
            members[kept] = members[index]
            kept += 1
        }
        members.removeLast(members.count - kept)
    }

    /// Writes `{"key":value,...}` from sorted, deduplicated members.
    func writeObject(_ members: [MemberRef], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: bytes(member.source, member.key))
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: bytes(member.source, member.value))
        }
        output.append(UInt8(ascii: "}"))
    }
}
