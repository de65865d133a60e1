/// The few top-level members of an event that validation looks at (last occurrence wins, as in Go's decoder), and
/// where the decoder recorded all of its members for the enricher.
struct EventFields {
    var type: JSONValue?
    var userID: JSONValue?
    var anonymousID: JSONValue?
    var event: JSONValue?
    var groupID: JSONValue?
    var previousID: JSONValue?
    var messageID: JSONValue?
    var writeKey: JSONValue?
    /// The event's top-level members, in `MemberTable.topLevel`.
    var members: Range<Int> = 0..<0
    /// The members of the event's last `context`, in `MemberTable.context`, when that value is an object.
    var contextMembers: Range<Int>?
}

extension JSONCursor {
    /// Scans the event object at the cursor (which must be at `{`), validating all of it, noting the members that
    /// validation needs and recording every member (and those of its `context`) in `table`.
    mutating func eventObject(depth: Int, table: inout MemberTable) throws(JSONSyntaxError) -> EventFields {
        var fields = EventFields()
        skipWhitespace()
        let base = offset
        let first = table.topLevel.count
        try enterContainer(depth: depth)
        var isFirst = true
        while let key = try nextKey(isFirst: &isFirst, tracked: false) {
            let name = MemberName(key: key, in: bytes)
            let value: JSONValue
            if name == .context, peek() == UInt8(ascii: "{") {
                let (object, members) = try objectMembers(
                    depth: depth + 1, base: base, into: &table.context)
                value = object
                fields.contextMembers = members
            } else {
                value = try self.value(depth: depth + 1)
                if name == .context { fields.contextMembers = nil }
            }
            table.topLevel.append(MemberSpan(key: key, value: value, base: base, name: name))
            switch name {
            case .type: fields.type = value
            case .userId: fields.userID = value
            case .anonymousId: fields.anonymousID = value
            case .event: fields.event = value
            case .groupId: fields.groupID = value
            case .previousId: fields.previousID = value
            case .messageId: fields.messageID = value
            case .writeKey: fields.writeKey = value
            default: break
            }
        }
        fields.members = first..<table.topLevel.count
        return fields
    }

    /// The decoded text of a string value.
    func text(of value: JSONValue) -> String {
        JSONString.decodeString(UnsafeBufferPointer(rebasing: bytes[value.contentRange]))
    }
}
