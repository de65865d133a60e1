import Spool

/// The write-ahead log as the pipeline uses it. `Spool` is the implementation; tests may wrap it.
public protocol SpoolLog: Sendable {
    /// Appends a data record and returns its sequence once it is durable (refused when the spool is full).
    func append(kind: UInt8, payload: [UInt8]) async throws -> UInt64
    /// Appends a control record that frees space once committed (a seal): exempt from the quota, so a full spool
    /// can still archive and release.
    func appendControl(kind: UInt8, payload: [UInt8]) async throws -> UInt64
    /// Lets the log delete what lies wholly below `sequence`.
    func release(below sequence: UInt64)
    /// Throws when the log cannot take more now (quota or free disk).
    func admission() throws
    /// The highest sequence ever appended (0 when none), including released records.
    var lastSequence: UInt64 { get }
    /// What the log holds and whether it refuses appends now.
    var usage: SpoolUsage { get }
    /// Streams every retained record with a sequence of at least `from`, in order.
    func replay(from sequence: UInt64, _ body: (SpoolRecord) throws -> Void) throws
}

extension Spool: SpoolLog {
    public var lastSequence: UInt64 { usage.lastSequence }

    public func append(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        try await append(kind: kind, payload: payload, quota: .enforced)
    }

    public func appendControl(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        try await append(kind: kind, payload: payload, quota: .exempt)
    }
}
