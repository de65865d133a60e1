/// Where one member of a scanned object sits, recorded by the decoder so the enricher does not scan the event a
/// second time. Offsets are relative to the start of the object's owner: the event for an event's own members and
/// its `context`'s, the batch-level `context` value for that object's members. Bodies are at most a few hundred KB,
/// so 32-bit offsets suffice and keep the tables small.
struct MemberSpan: Sendable {
    /// The raw key, quotes included.
    var keyStart: Int32
    var keyEnd: Int32
    /// The value's exact bytes.
    var valueStart: Int32
    var valueEnd: Int32
    /// The member's name when Sluice interprets it (top-level members only; `.other` inside `context`).
    var name: MemberName
    /// Whether the key contains a backslash escape (its raw bytes then differ from the decoded name).
    var keyHasEscapes: Bool

    var key: Range<Int> { Int(keyStart)..<Int(keyEnd) }
    var value: Range<Int> { Int(valueStart)..<Int(valueEnd) }

    init(key: Range<Int>, value: Range<Int>, name: MemberName, keyHasEscapes: Bool) {
        keyStart = Int32(key.lowerBound)
        keyEnd = Int32(key.upperBound)
        valueStart = Int32(value.lowerBound)
        valueEnd = Int32(value.upperBound)
        self.name = name
        self.keyHasEscapes = keyHasEscapes
    }

    /// The member a scan found: `key` and `value` in the cursor's buffer, stored relative to `base`.
    init(key: JSONValue, value: JSONValue, base: Int, name: MemberName) {
        self.init(
            key: (key.start - base)..<(key.end - base), value: (value.start - base)..<(value.end - base), name: name,
            keyHasEscapes: key.hasEscapes)
    }
}

/// The member spans of one request: each valid event's top-level members, and the members of the `context` objects
/// (the events' own and the batch's). Events and envelope point into these by index range.
struct MemberTable: Sendable {
    var topLevel: [MemberSpan] = []
    var context: [MemberSpan] = []
}

extension JSONCursor {
    /// Scans (and validates) the object at the cursor, appending its members to `spans` with offsets relative to
    /// `base` (names are not interpreted: `.other`). Returns the object's value and the range of `spans` it filled.
    mutating func objectMembers(
        depth: Int, base: Int, into spans: inout [MemberSpan]
    ) throws(JSONSyntaxError) -> (JSONValue, Range<Int>) {
        let start = offset
        let first = spans.count
        try enterContainer(depth: depth)
        var isFirst = true
        while let key = try nextKey(isFirst: &isFirst, tracked: false) {
            let value = try value(depth: depth + 1)
            spans.append(MemberSpan(key: key, value: value, base: base, name: .other))
        }
        return (JSONValue(kind: .object, start: start, end: offset), first..<spans.count)
    }
}
