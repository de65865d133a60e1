/// Size and count limits of the Tracking API (Segment documents 32 KB per call or event, 500 KB per batch request,
/// 2,500 events per batch and messageIds of at most 100 characters).
public struct IngestLimits: Hashable, Sendable {
    /// The largest body of a single-call request (`/v1/track`, ...), in bytes.
    public var maxSingleCallBytes: Int
    /// The largest event inside a batch, in bytes of its JSON.
    public var maxEventBytes: Int
    /// The largest body of a batch request (`/v1/batch`, ...), in bytes (after any gzip decoding).
    public var maxBatchRequestBytes: Int
    /// The most events one batch may hold.
    public var maxEventsPerBatch: Int
    /// The longest `messageId`, in Unicode characters.
    public var maxMessageIDLength: Int
    /// The deepest nesting of objects and arrays accepted in a body.
    public var maxNestingDepth: Int

    /// Creates limits; the defaults are Segment's documented limits, read as binary kilobytes.
    public init(
        maxSingleCallBytes: Int = 32 * 1024,
        maxEventBytes: Int = 32 * 1024,
        maxBatchRequestBytes: Int = 500 * 1024,
        maxEventsPerBatch: Int = 2500,
        maxMessageIDLength: Int = 100,
        maxNestingDepth: Int = 64
    ) {
        self.maxSingleCallBytes = maxSingleCallBytes
        self.maxEventBytes = maxEventBytes
        self.maxBatchRequestBytes = maxBatchRequestBytes
        self.maxEventsPerBatch = maxEventsPerBatch
        self.maxMessageIDLength = maxMessageIDLength
        self.maxNestingDepth = maxNestingDepth
    }
}
