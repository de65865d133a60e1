/// Segment's per-event rules: a known `type`, an identity, the fields each call type needs, a sane `messageId`,
/// and the per-event size limit.
struct EventValidator {
    let cursor: JSONCursor
    let limits: IngestLimits

    /// Validates one event and returns its call type (`forcedType` for single calls, whose endpoint decides it).
    func validate(_ fields: EventFields, size: Int, forcedType: CallType?) throws(SegmentError) -> CallType {
        guard size <= limits.maxEventBytes else {
            throw SegmentError(
                .eventTooLarge, "the event is \(size) bytes; each event must be at most \(limits.maxEventBytes) bytes")
        }
        let type: CallType
        if let forcedType {
            type = forcedType
        } else {
            type = try callType(fields.type)
        }
        switch type {
        case .alias:
            guard isIdentifier(fields.previousID) else { throw missing(.missingPreviousId, "alias", "previousId") }
            guard isIdentifier(fields.userID) else { throw missing(.missingUserId, "alias", "userId") }
        default:
            guard isIdentifier(fields.userID) || isIdentifier(fields.anonymousID) else {
                throw SegmentError(
                    .missingIdentity,
                    "every call needs userId or anonymousId: set \"userId\" or \"anonymousId\" to a non-empty "
                        + "string or a number")
            }
        }
        if type == .track {
            guard let event = fields.event, event.kind == .string, event.end - event.start > 2 else {
                throw SegmentError(
                    .missingEvent, "track calls need \"event\": set it to a non-empty string naming the action")
            }
        }
        if type == .group, !isIdentifier(fields.groupID) {
            throw missing(.missingGroupId, "group", "groupId")
        }
        if let messageID = fields.messageID {
            guard messageID.kind == .string, characterCount(messageID) <= limits.maxMessageIDLength else {
                throw SegmentError(
                    .invalidMessageID,
                    "\"messageId\" must be a string of at most \(limits.maxMessageIDLength) characters, unique per "
                        + "event (or leave it out and Sluice assigns one)")
            }
        }
        return type
    }

    /// The range of a usable (non-empty string) `messageId`; an empty one is treated as absent.
    func messageIDRange(_ fields: EventFields) -> Range<Int>? {
        guard let value = fields.messageID, value.kind == .string, value.end - value.start > 2 else { return nil }
        return value.range
    }

    private func callType(_ value: JSONValue?) throws(SegmentError) -> CallType {
        let message =
            "\"type\" must be one of \"track\", \"identify\", \"page\", \"screen\", \"group\" or \"alias\""
        guard let value else { throw SegmentError(.invalidType, "the event has no \"type\"; " + message) }
        for type in CallType.allCases where stringEquals(value, type) {
            return type
        }
        throw SegmentError(.invalidType, message)
    }

    private func stringEquals(_ value: JSONValue, _ type: CallType) -> Bool {
        guard value.kind == .string else { return false }
        let content = UnsafeBufferPointer(rebasing: cursor.bytes[value.contentRange])
        guard value.hasEscapes else { return type.rawValue.utf8.elementsEqual(content) }
        var decoded: [UInt8] = []
        JSONString.decode(content, into: &decoded)
        return type.rawValue.utf8.elementsEqual(decoded)
    }

    /// A usable identifier: a non-empty string or a number.
    private func isIdentifier(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        return value.kind == .number || (value.kind == .string && value.end - value.start > 2)
    }

    /// Unicode scalars in a string value.
    private func characterCount(_ value: JSONValue) -> Int {
        let content = UnsafeBufferPointer(rebasing: cursor.bytes[value.contentRange])
        guard value.hasEscapes else { return content.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
        var decoded: [UInt8] = []
        JSONString.decode(content, into: &decoded)
        return decoded.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    private func missing(_ code: SegmentError.Code, _ call: String, _ field: String) -> SegmentError {
        SegmentError(code, "\(call) calls need \"\(field)\": set it to a non-empty string or a number")
    }
}
