/// A snapshot of what the spool holds and has done, for metrics, health checks and tests.
public struct SpoolUsage: Sendable, Hashable {
    /// Bytes of all retained segment files (durable records plus headers); compared against `maxBytes`.
    public var retainedBytes: Int
    /// Retained segment files, including the active one.
    public var segmentCount: Int
    /// The highest durable sequence number, or 0 if the spool never held a record.
    public var lastSequence: UInt64
    /// Free bytes on the spool's file system, as last measured (at most `diskCheckInterval` old while running).
    public var freeDiskBytes: Int
    /// Group commits performed since `open`: each is one write and (with `fsync`) one fdatasync.
    public var commitGroups: Int
    /// Records committed since `open`; `committedRecords / commitGroups` is the group-commit batching factor.
    public var committedRecords: Int
}
