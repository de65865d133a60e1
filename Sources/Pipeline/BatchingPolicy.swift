/// When batches close and how their output is produced. Defaults follow Segment: 100 MB or one hour.
public struct BatchingPolicy: Sendable {
    /// A batch closes before its gzip output would pass this many bytes.
    public var maxBatchBytes: Int = 100_000_000
    /// A batch closes this long after it opened (milliseconds).
    public var maxBatchAgeMilliseconds: Int64 = 3_600_000
    /// Uncompressed bytes gathered before they are compressed into one gzip member.
    public var memberBytes: Int = 1 << 20
    /// Uncompressed bytes all open batches may hold before the largest are compressed early (bounds memory with
    /// many sources).
    public var pendingBudgetBytes: Int = 32 << 20
    /// Bytes waiting for compression above which ingest answers 503 (the writer is behind).
    public var backlogLimitBytes: Int = 128 << 20
    /// libdeflate compression level of batch output.
    public var compressionLevel: Int = 6

    public init() {}

    /// Leaves room for one more member so the output never passes `maxBatchBytes`.
    var closeThreshold: Int { max(1, maxBatchBytes - memberBytes - memberBytes / 8 - 1024) }
}
