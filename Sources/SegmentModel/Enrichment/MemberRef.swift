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
/// A plain value (no references), so sorting members moves bytes and nothing else.
struct MemberRef {
    /// The first 8 bytes of the decoded key, big-endian and zero-padded: ordering by it agrees with ordering by
    /// the whole key wherever two prefixes differ, so most comparisons end here.
    var prefix: UInt64
    /// Where the raw key (quotes included, written out again as is) and the value sit in `source`.
    var span: MemberSpan
    /// Among members with equal keys, the highest precedence wins.
    var precedence: Int32
    var source: ByteSources.Source

    var key: Range<Int> { span.key }
    var value: Range<Int> { span.value }
    /// Whether the raw key has escapes (its decoded form must then be compared, not its bytes).
    var keyHasEscapes: Bool { span.keyHasEscapes }
    /// The raw key without its quotes (the decoded key when `keyHasEscapes` is false).
    var keyContent: Range<Int> { Int(span.keyStart + 1)..<Int(span.keyEnd - 1) }

    /// Precedence of the event's own members over batch-level ones (object sizes stay far below it).
    static let eventPrecedence: Int32 = 1 << 24

    /// `prefix` for a decoded key.
    static func prefix(of key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<min(8, key.count) { value |= UInt64(key[index]) << UInt64(56 - 8 * index) }
        return value
    }
}

/// A key Sluice itself names (a field it sets, a `context` default), with its `MemberRef.prefix`.
struct KeyName {
    let bytes: UnsafeBufferPointer<UInt8>
    let prefix: UInt64

    init(_ name: StaticString) {
        bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        prefix = MemberRef.prefix(of: bytes)
    }
}

extension ByteSources {
    /// The member `span` records in `source`.
    func member(_ span: MemberSpan, in source: Source, precedence: Int32) -> MemberRef {
        var member = MemberRef(prefix: 0, span: span, precedence: precedence, source: source)
        member.prefix = withKey(member) { MemberRef.prefix(of: $0) }
        return member
    }

    /// A member Sluice supplies from the extras buffer (a `context` default; its key has no escapes).
    func extra(key: Range<Int>, value: Range<Int>) -> MemberRef {
        member(MemberSpan(key: key, value: value, name: .other, keyHasEscapes: false), in: .extras, precedence: -1)
    }

    /// Appends the members of `spans` (recorded in `source`), with precedence `base + position`.
    func appendMembers(
        _ spans: UnsafeBufferPointer<MemberSpan>, in source: Source, precedence base: Int32,
        into members: inout [MemberRef]
    ) {
        for (position, span) in spans.enumerated() {
            members.append(member(span, in: source, precedence: base + Int32(position)))
        }
    }

    /// Scans the object at `range` of `source` for its members and appends them, with precedence `base + position`.
    /// For objects the decoder did not record (merged `integrations`).
    func collectMembers(
        of source: Source, in range: Range<Int>, precedence base: Int32, into members: inout [MemberRef]
    ) {
        // The bytes were validated when the request was decoded, so syntax errors cannot occur; if they somehow
        // did, the members read so far are kept.
        var cursor = JSONCursor(self[source], offset: range.lowerBound, maxDepth: .max)
        guard cursor.peek() == UInt8(ascii: "{"), (try? cursor.enterContainer(depth: 1)) != nil else { return }
        var first = true
        var position: Int32 = 0
        while let key = try? cursor.nextKey(isFirst: &first), let value = cursor.skipValidatedValue() {
            let span = MemberSpan(key: key.range, value: value, name: .other, keyHasEscapes: key.hasEscapes)
            members.append(member(span, in: source, precedence: base + position))
            position += 1
        }
    }

    /// Calls `body` with the decoded key of `member`.
    func withKey<Result>(_ member: MemberRef, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let raw = bytes(member.source, member.keyContent)
        guard member.keyHasEscapes else { return body(raw) }
        var decoded: [UInt8] = []
        JSONString.decode(raw, into: &decoded)
        return decoded.withUnsafeBufferPointer(body)
    }

    /// Whether `lhs`'s decoded key sorts before `rhs`'s (bytewise).
    func keyPrecedes(_ lhs: MemberRef, _ rhs: MemberRef) -> Bool {
        if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
        return withKey(lhs) { left in withKey(rhs) { right in left.lexicographicallyPrecedes(right) } }
    }

    func keysEqual(_ lhs: MemberRef, _ rhs: MemberRef) -> Bool {
        guard lhs.prefix == rhs.prefix else { return false }
        return withKey(lhs) { left in withKey(rhs) { right in left.elementsEqual(right) } }
    }

    /// Whether `member`'s decoded key sorts before `name`.
    func keyPrecedes(_ member: MemberRef, _ name: KeyName) -> Bool {
        if member.prefix != name.prefix { return member.prefix < name.prefix }
        return withKey(member) { $0.lexicographicallyPrecedes(name.bytes) }
    }

    /// Whether `member`'s decoded key is `name`.
    func keyEquals(_ member: MemberRef, _ name: KeyName) -> Bool {
        guard member.prefix == name.prefix else { return false }
        return withKey(member) { $0.elementsEqual(name.bytes) }
    }

    /// Sorts members bytewise by decoded key and keeps, for each key, only the one with the highest precedence.
    func sortAndDeduplicate(_ members: inout [MemberRef]) {
        guard members.count > 1 else { return }
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
