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
    /// Why appends are refused right now (the quota, low or exhausted disk space, a failed write), or nil while
    /// the spool takes appends. Space problems clear by themselves once space returns; `.failed` needs a restart.
    public var refusal: Refusal?

    /// Why appends are refused: the error's code (`full`, `failed`, `closed`) and its message.
    public struct Refusal: Sendable, Hashable {
        public var code: String
        public var message: String
    }
    /// True from a write that ran out of disk space until free space returns (appends are refused meanwhile).
    public var outOfSpace: Bool
}
