/// A Tracking API request or event that Sluice cannot accept, with what the caller should fix.
public struct SegmentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem. New codes may be added; match with `==` or a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable snake_case name sent to clients, e.g. `missing_identity`.
        public let rawValue: String
        /// The HTTP status the problem maps to when it rejects a whole request.
        public let httpStatus: Int

        /// Creates a code.
        public init(_ rawValue: String, httpStatus: Int = 400) {
            self.rawValue = rawValue
            self.httpStatus = httpStatus
        }

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.rawValue == rhs.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
        public var description: String { rawValue }

        /// The body is not valid JSON, or not a JSON object.
        public static let invalidJSON = Code("invalid_json")
        /// The request body exceeds its size limit.
        public static let payloadTooLarge = Code("payload_too_large", httpStatus: 413)
        /// A batch holds more events than allowed.
        public static let tooManyEvents = Code("too_many_events")
        /// A batch body has no `batch` array.
        public static let invalidBatch = Code("invalid_batch")
        /// A batch body's `batch` array is empty.
        public static let emptyBatch = Code("empty_batch")
        /// A batch item is not a JSON object.
        public static let invalidEvent = Code("invalid_event")
        /// One event exceeds the per-event size limit.
        public static let eventTooLarge = Code("event_too_large", httpStatus: 413)
        /// `type` is missing or not one of the six call types.
        public static let invalidType = Code("invalid_type")
        /// Neither `userId` nor `anonymousId` is usable (Segment's `no_user_anon_id`).
        public static let missingIdentity = Code("missing_identity")
        /// A track call has no `event` name.
        public static let missingEvent = Code("missing_event")
        /// A group call has no `groupId`.
        public static let missingGroupId = Code("missing_group_id")
        /// An alias call has no `previousId`.
        public static let missingPreviousId = Code("missing_previous_id")
        /// An alias call has no `userId`.
        public static let missingUserId = Code("missing_user_id")
        /// `messageId` is not a string or is too long.
        public static let invalidMessageID = Code("invalid_message_id")
        /// An object of the event names the same member twice (strict JSON readers reject such a line).
        public static let duplicateKey = Code("duplicate_key")
    }

    /// What went wrong.
    public var code: Code
    /// What the caller should fix; names the offending field.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
