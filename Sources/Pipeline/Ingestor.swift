import Metrics
import Spool

/// The ingest path's entry: an accepted request's enriched lines become one spool record, durable before this
/// returns, then go to the batcher.
///
/// ```swift
/// try ingestor.admit()                         // cheap back-pressure check before parsing
/// try await ingestor.ingest(record)            // returns once the events are fsynced
/// ```
public struct Ingestor: Sendable {
    let spool: any SpoolLog
    let batcher: Batcher
    let backlogLimitBytes: Int

    public init(spool: any SpoolLog, batcher: Batcher, policy: BatchingPolicy) {
        self.spool = spool
        self.batcher = batcher
        self.backlogLimitBytes = policy.backlogLimitBytes
    }

    /// Throws `.overloaded` when the spool is over quota or short of disk, or the batch writer is behind.
    public func admit() throws(PipelineError) {
        do {
            try spool.admission()
        } catch {
            throw PipelineError(.overloaded, "the spool is full or the disk is low; retry later", underlying: error)
        }
        if batcher.backlog.bytes > backlogLimitBytes {
            throw PipelineError(.overloaded, "the batch writer is behind; retry later")
        }
    }

    /// Makes the record durable, then hands it to its batch.
    public func ingest(_ record: EventsRecord) async throws(PipelineError) {
        let sequence: UInt64
        do {
            sequence = try await spool.append(kind: PipelineRecordKind.events, payload: record.encoded())
        } catch {
            if let error = error as? PipelineError { throw error }
            if let error = error as? SpoolError, error.code == .full {
                // The disk filled between admission and the write: back-pressure, like a refused admission.
                throw PipelineError(.overloaded, "the spool is full or the disk is low; retry later", underlying: error)
            }
            throw PipelineError(.spoolFailed, "events could not be made durable; retry later", underlying: error)
        }
        await batcher.deliver(sequence, record)
    }
}
