/// The few top-level members of an event that validation looks at (last occurrence wins, as in Go's decoder).
struct EventFields {
    var type: JSONValue?
    var userID: JSONValue?
    var anonymousID: JSONValue?
    var event: JSONValue?
    var groupID: JSONValue?
    var previousID: JSONValue?
    var messageID: JSONValue?
    var writeKey: JSONValue?
}

extension JSONCursor {
    /// Scans the event object at the cursor (which must be at `{`), validating all of it and noting the members
    /// that validation needs.
    mutating func eventObject(depth: Int) throws(JSONSyntaxError) -> EventFields {
        var fields = EventFields()
        try enterContainer(depth: depth)
        var first = true
        while let key = try nextKey(isFirst: &first) {
            let value = try value(depth: depth + 1)
            switch MemberName(key: key, in: bytes) {
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
        return fields
    }

    /// The decoded text of a string value.
    func text(of value: JSONValue) -> String {
        JSONString.decodeString(UnsafeBufferPointer(rebasing: bytes[value.contentRange]))
    }
}
