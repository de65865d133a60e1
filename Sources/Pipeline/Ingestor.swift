import Metrics
import Spool
import Synchronization

/// The ingest path's entry: an accepted request's enriched lines become one spool record, durable before this
/// returns, then go to the batcher. With a `MessageIDFilter`, events whose `messageId` was already accepted are
/// left out first (`claim`), and the new ids are remembered once the record is durable.
///
/// ```swift
/// try ingestor.admit()                         // cheap back-pressure check before parsing
/// let claim = await ingestor.claim(messageIDs: ids, receivedAtMilliseconds: now)
/// try await ingestor.ingest(record, claim: claim)   // returns once the events are fsynced
/// ```
public struct Ingestor: Sendable {
    let spool: any SpoolLog
    let batcher: Batcher
    let backlogLimitBytes: Int
    let messageIDFilter: (any MessageIDFilter)?
    let sharedMessageIDs: (any SharedMessageIDLog)?
    let duplicates = Duplicates()

    public init(
        spool: any SpoolLog, batcher: Batcher, policy: BatchingPolicy, messageIDFilter: (any MessageIDFilter)? = nil,
        sharedMessageIDs: (any SharedMessageIDLog)? = nil
    ) {
        self.spool = spool
        self.batcher = batcher
        self.backlogLimitBytes = policy.backlogLimitBytes
        self.messageIDFilter = messageIDFilter
        self.sharedMessageIDs = messageIDFilter == nil ? nil : sharedMessageIDs
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

    /// Whether `claim` can find duplicates (de-duplication is on); when not, callers need not collect ids.
    public var deduplicates: Bool { messageIDFilter != nil }

    /// Which events (by their client `messageId`, `nil` for none) were already accepted within the window; reserves
    /// the new ids until `ingest(_:claim:)` or `release(_:)`. Without a filter nothing is a duplicate.
    public func claim(messageIDs: [[UInt8]?], receivedAtMilliseconds: Int64) async -> MessageIDClaim {
        guard let messageIDFilter, !messageIDs.isEmpty else { return MessageIDClaim() }
        return await messageIDFilter.claim(messageIDs, receivedAtMilliseconds: receivedAtMilliseconds)
    }

    /// Frees a claim whose events will not be ingested (all of them were duplicates, or the request failed).
    public func release(_ claim: MessageIDClaim) async {
        guard let messageIDFilter, !claim.reserved.isEmpty else { return }
        await messageIDFilter.settle(claim, accepted: false)
    }

    /// Counts the duplicates a claim left out, per source (`sluice_duplicates_dropped_total`, `/admin/status`).
    public func countDuplicates(_ count: Int, sourceID: String) {
        guard count > 0 else { return }
        Counter(label: "sluice_duplicates_dropped_total", dimensions: [("source", sourceID)]).increment(by: count)
        duplicates.add(count, sourceID: sourceID)
    }

    /// Duplicates dropped since start, per source id.
    public var duplicatesDropped: [String: Int] { duplicates.bySource }

    /// Makes the record durable, then hands it to its batch.
    public func ingest(_ record: EventsRecord) async throws(PipelineError) {
        _ = try await ingest(record, claim: MessageIDClaim())
    }

    /// Makes the record durable, settles its claim (its new ids are remembered only once the record is durable, and
    /// freed when it is refused), then hands it to its batch: in a cluster, without the events another node
    /// accepted first. Returns how many events were left out that way.
    @discardableResult
    public func ingest(_ record: EventsRecord, claim: MessageIDClaim) async throws(PipelineError) -> Int {
        let sequence: UInt64
        do {
            sequence = try await spool.append(kind: PipelineRecordKind.events, payload: record.encoded())
        } catch {
            await release(claim)
            if let error = error as? PipelineError { throw error }
            if let error = error as? SpoolError, error.code == .full {
                // The disk filled between admission and the write: back-pressure, like a refused admission.
                throw PipelineError(.overloaded, "the spool is full or the disk is low; retry later", underlying: error)
            }
            throw PipelineError(.spoolFailed, "events could not be made durable; retry later", underlying: error)
        }
        if let messageIDFilter, !claim.reserved.isEmpty { await messageIDFilter.settle(claim, accepted: true) }
        // The spool keeps the whole record: should the node crash before the batch is sealed, recovery re-batches
        // it whole, so the cluster check can at worst let a duplicate through, never lose an event.
        guard let sharedMessageIDs, !claim.reserved.isEmpty else {
            await batcher.deliver(sequence, record)
            return 0
        }
        let (kept, dropped) = await sharedMessageIDs.admit(record, newIDs: claim.reserved)
        await batcher.deliver(sequence, kept)
        return dropped
    }
}

/// Duplicates dropped per source since start, for `/admin/status`.
final class Duplicates: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(_ count: Int, sourceID: String) { counts.withLock { $0[sourceID, default: 0] += count } }

    var bySource: [String: Int] { counts.withLock { $0 } }
}
