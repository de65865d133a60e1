/// A Tracking API request split into its events, each still as the client's original bytes.
public struct DecodedRequest: Sendable {
    /// The `writeKey` member of the body (the batch envelope's, or a single call's own), if it is a string.
    public var bodyWriteKey: String?
    /// Batch-level members that apply to every event (empty for single calls).
    public var envelope: BatchEnvelope
    /// The events that passed validation, in request order.
    public var events: [EventSlice]
    /// The batch items that failed validation, in request order (always empty for single calls, which throw).
    public var rejected: [RejectedEvent]
    /// Where the decoder found every member of the valid events and of the `context` objects.
    var members: MemberTable
}

/// The batch-level members of a batch body, as raw JSON bytes of the request body.
public struct BatchEnvelope: Sendable {
    /// The raw value of the batch's `sentAt` (any JSON value, usually a string), if present.
    public var sentAt: ArraySlice<UInt8>?
    /// The raw batch-level `context` object, if present and an object.
    public var context: ArraySlice<UInt8>?
    /// The raw batch-level `integrations` object, if present and an object.
    public var integrations: ArraySlice<UInt8>?
    /// The members of `context`, in the request's `MemberTable.context`, offsets relative to `context`'s start.
    var contextMembers: Range<Int>?

    /// Creates an envelope; by default an empty one, as for single calls.
    public init(
        sentAt: ArraySlice<UInt8>? = nil, context: ArraySlice<UInt8>? = nil, integrations: ArraySlice<UInt8>? = nil
    ) {
        self.sentAt = sentAt
        self.context = context
        self.integrations = integrations
    }
}

/// One valid event: its original bytes (a JSON object, shared with the request body, not copied) and the type.
public struct EventSlice: Sendable {
    /// The position of the event in its batch (0 for single calls).
    public let index: Int
    /// The call type: from the endpoint for single calls, from the item's `type` for batches.
    public let type: CallType
    /// The event's JSON object exactly as the client sent it.
    public let bytes: ArraySlice<UInt8>
    /// Where the `messageId` string value (with quotes) sits in `bytes`' indices, if the client sent one.
    let messageIDRange: Range<Int>?
    /// The event's top-level members in its request's `MemberTable.topLevel`.
    let members: Range<Int>
    /// The members of its `context` object, if it has one, in `MemberTable.context`.
    let contextMembers: Range<Int>?

    /// The client's `messageId`, decoded, if it sent one.
    public var messageID: String? {
        guard let range = messageIDRange else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            let base = bytes.startIndex
            let content = UnsafeBufferPointer(
                rebasing: buffer[(range.lowerBound - base + 1)..<(range.upperBound - base - 1)])
            return JSONString.decodeString(content)
        }
    }
}

/// A batch item that failed validation, with the reason and its original bytes.
public struct RejectedEvent: Sendable {
    /// The position of the item in its batch.
    public let index: Int
    /// Why it was rejected.
    public let code: SegmentError.Code
    /// What the client should fix.
    public let message: String
    /// The item exactly as the client sent it (any JSON value).
    public let bytes: ArraySlice<UInt8>
}
