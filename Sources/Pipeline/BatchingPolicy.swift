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
    /// libdeflate compression level of batch output. 5, not 6: on Sluice's enriched NDJSON (bench/RESULTS.md)
    /// level 5 output is about 1.02x the size of `gzip -6` and costs about a quarter less CPU than level 6, which
    /// is 0.96x; compression is a quarter of the ingest path's CPU.
    public var compressionLevel: Int = 5

    public init() {}

    /// Leaves room for one more member so the output never passes `maxBatchBytes`.
    var closeThreshold: Int { max(1, maxBatchBytes - memberBytes - memberBytes / 8 - 1024) }
}
