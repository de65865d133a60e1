import Logging
import Pipeline
import Spool

/// The spool as the pipeline sees it when de-duplication is on: identical, except that before segments are deleted
/// the messageId index is synced, so no id leaves the spool before it is durable in the index. When the sync fails
/// the segments stay (and recovery re-inserts their ids after a restart).
public struct DedupeSpoolLog: SpoolLog {
    let spool: any SpoolLog
    let deduplicator: Deduplicator
    let logger: Logger

    public init(_ spool: any SpoolLog, deduplicator: Deduplicator, logger: Logger) {
        self.spool = spool
        self.deduplicator = deduplicator
        self.logger = logger
    }

    public func append(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        try await spool.append(kind: kind, payload: payload)
    }

    public func appendControl(kind: UInt8, payload: [UInt8]) async throws -> UInt64 {
        try await spool.appendControl(kind: kind, payload: payload)
    }

    public func release(below sequence: UInt64) {
        do {
            try deduplicator.sync()
        } catch {
            logger.error(
                "messageId index could not be synced; spool segments are kept", metadata: ["dedupe.error": "\(error)"])
            return
        }
        spool.release(below: sequence)
    }

    public func admission() throws { try spool.admission() }

    public var lastSequence: UInt64 { spool.lastSequence }

    public var usage: SpoolUsage { spool.usage }

    public func replay(from sequence: UInt64, _ body: (SpoolRecord) throws -> Void) throws {
        try spool.replay(from: sequence, body)
    }
}
