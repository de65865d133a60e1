import Foundation

/// What a live-debugger subscriber wants to see: each given field must equal the event's (exact match); an empty
/// filter passes every event. Applied where events are published, so a filtered view never loses a match to
/// the per-subscriber buffer filling with events it did not want.
public struct DebuggerFilter: Sendable, Equatable {
    public var type: String?
    public var event: String?
    public var userId: String?
    public var messageId: String?

    public init(type: String? = nil, event: String? = nil, userId: String? = nil, messageId: String? = nil) {
        func given(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
        self.type = given(type)
        self.event = given(event)
        self.userId = given(userId)
        self.messageId = given(messageId)
    }

    public var isEmpty: Bool { type == nil && event == nil && userId == nil && messageId == nil }

    /// Whether the event (one enriched NDJSON line, already parsed) passes.
    func matches(_ fields: EventFields) -> Bool {
        (type == nil || type == fields.type) && (event == nil || event == fields.event)
            && (userId == nil || userId == fields.userId) && (messageId == nil || messageId == fields.messageId)
    }
}

/// The few fields of an enriched event a filter looks at.
struct EventFields: Sendable, Equatable {
    var type: String?
    var event: String?
    var userId: String?
    var messageId: String?

    /// Reads them from one JSON object line; a line that is not an object has none.
    init(line: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return }
        func text(_ key: String) -> String? {
            switch object[key] {
            case let string as String: string
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        type = text("type")
        event = text("event")
        userId = text("userId")
        messageId = text("messageId")
    }

    init(type: String? = nil, event: String? = nil, userId: String? = nil, messageId: String? = nil) {
        self.type = type
        self.event = event
        self.userId = userId
        self.messageId = messageId
    }
}
