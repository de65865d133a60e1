import Deflate
import Logging
import Metrics
import NIOPosix
import Synchronization
import Storage

/// Owns the open batches: receives durable events in spool order, compresses them into gzip members off the request
/// path, closes batches by size, age, day end, flush or shutdown, and seals each closed batch in the spool before it
/// is stored under its final key (so recovery neither loses nor repeats a batch).
public actor Batcher {
    let policy: BatchingPolicy
    let spool: any SpoolLog
    let store: any ArchiveStore
    let dataDirectory: String
    let naming: BatchNaming
    let now: @Sendable () -> Int64
    let logger: Logger
    let threadPool: NIOThreadPool
    nonisolated let compressors: CompressorPool
    /// Bytes handed to the lane and not yet written; read without hopping onto the actor.
    public nonisolated let backlog: BacklogGauge

    var state: OpenBatches
    var nextSequence: UInt64
    var parked: [UInt64: EventsRecord?] = [:]
    var closing: [BatchHandle: UInt64] = [:]
    var releasedBelow: UInt64 = 0
    /// Batches with a member that could not be written: never sealed as they are (they are rebuilt).
    var poisoned: Set<BatchHandle> = []
    /// Sequence ranges (per key) that batches stored before the last start hold: a batch recovery re-formed from
    /// the records around them spans them, and a rebuild of it skips them.
    var storedRanges: [BatchKey: [ClosedRange<UInt64>]] = [:]
    /// Closed batches not stored yet, retried with backoff (see `Batcher+Retry.swift`), by their first handle.
    var unsettled: [BatchHandle: UnsettledBatch] = [:]
    /// `unsettled.count` and the last error, read without hopping onto the actor (health, status).
    public nonisolated let storeHealth = StoreHealth()
    let lane: AsyncStream<LaneJob>
    let laneInput: AsyncStream<LaneJob>.Continuation

    enum LaneJob: Sendable {
        /// Members cut by one state change, in order: with many sources the memory budget cuts thousands of small
        /// members at once, and one thread-pool job for all of them saves a hop (and a queue entry) per member.
        case members([(BatchHandle, [UInt8])])
        case close(ClosingBatch)
        /// Another attempt at an unsettled batch.
        case retry(BatchHandle)
        case barrier(CheckedContinuation<Void, Never>)
    }

    public init(
        policy: BatchingPolicy, spool: any SpoolLog, store: any ArchiveStore, dataDirectory: String,
        naming: BatchNaming, nextSequence: UInt64, now: @escaping @Sendable () -> Int64,
        newUUID: @escaping @Sendable () -> String, logger: Logger, threadPool: NIOThreadPool = .singleton
    ) {
        self.policy = policy
        self.spool = spool
        self.store = store
        self.dataDirectory = dataDirectory
        self.naming = naming
        self.nextSequence = nextSequence
        self.now = now
        self.logger = logger
        self.threadPool = threadPool
        self.compressors = CompressorPool(level: policy.compressionLevel)
        self.backlog = BacklogGauge()
        self.state = OpenBatches(policy: policy, newUUID: newUUID)
        (lane, laneInput) = AsyncStream.makeStream(of: LaneJob.self)
    }

    /// Hands over the record durably written at `sequence` (nil for records that hold no events). Records are
    /// applied in sequence order whatever order they arrive in, so a seal always covers a gap-free range.
    public func deliver(_ sequence: UInt64, _ record: EventsRecord?) {
        guard sequence >= nextSequence else { return }
        guard sequence == nextSequence else {
            parked[sequence] = .some(record)
            return
        }
        apply(sequence, record)
        while let next = parked.removeValue(forKey: nextSequence) { apply(nextSequence, next) }
    }

    /// Recovery: re-batches an unsealed record from an earlier run, before new traffic arrives.
    func restore(_ sequence: UInt64, _ record: EventsRecord) {
        perform(state.append(record, sequence: sequence, now: now()))
    }

    /// Recovery: what the stored batches (their seals) hold.
    func noteStoredRanges(_ ranges: [BatchKey: [ClosedRange<UInt64>]]) {
        storedRanges = ranges
    }

    /// Recovery: new sequences start after the last recovered one.
    func resume(after lastSequence: UInt64) {
        nextSequence = max(nextSequence, lastSequence + 1)
    }

    private func apply(_ sequence: UInt64, _ record: EventsRecord?) {
        nextSequence = sequence + 1
        if let record { perform(state.append(record, sequence: sequence, now: now())) }
    }

    func perform(_ actions: [BatchAction]) {
        var members: [(BatchHandle, [UInt8])] = []
        for action in actions {
            switch action {
            case .writeMember(let handle, let bytes):
                backlog.add(bytes.count)
                members.append((handle, bytes))
            case .close(let batch):
                if !members.isEmpty {
                    laneInput.yield(.members(members))
                    members = []
                }
                closing[batch.handle] = batch.firstSequence
                backlog.add(batch.remainder.count)
                laneInput.yield(.close(batch))
            }
        }
        if !members.isEmpty { laneInput.yield(.members(members)) }
    }

    /// Closes batches that are too old or whose day ended, retries unsettled batches that are due, and lets the
    /// spool drop what is sealed.
    public func tick() async {
        perform(state.closeDue(now: now()))
        queueRetries(all: false)
        await releaseSpool()
    }

    /// Closes every open batch, retries every unsettled one at once, and returns when all of that was attempted:
    /// the outcome says how many batches are still not stored (their events stay in the spool and keep being
    /// retried).
    @discardableResult
    public func flush(_ reason: CloseReason = .flush) async -> FlushOutcome {
        let actions = state.closeAll(reason)
        perform(actions)
        await withCheckedContinuation { laneInput.yield(.barrier($0)) }
        // Every batch that could not be stored, just now or before, gets one more attempt now.
        queueRetries(all: true)
        await withCheckedContinuation { laneInput.yield(.barrier($0)) }
        await releaseSpool()
        return FlushOutcome(closed: actions.count, unstored: unsettled.count, lastError: storeHealth.lastError)
    }

    /// Shutdown: closes and stores everything, then ends the lane.
    public func drain() async {
        await flush(.shutdown)
        laneInput.finish()
    }

    /// Number of open batches (for metrics and tests).
    public var openBatchCount: Int { state.batches.count }

    /// Lets the spool delete segments below the lowest sequence an unstored batch still needs. Deleting files
    /// blocks, so it runs on the thread pool, and only when the watermark moved.
    func releaseSpool() async {
        let low = [state.lowestSequence, closing.values.min(), nextSequence].compactMap { $0 }.min() ?? nextSequence
        guard low > releasedBelow else { return }
        releasedBelow = low
        let spool = self.spool
        try? await threadPool.runIfActive { spool.release(below: low) }
    }

    func memberWritten(_ handle: BatchHandle, queued: Int, written: Int) {
        backlog.add(-queued)
        perform(state.memberWritten(handle, queued: queued, written: written))
    }

    /// A batch that could not be stored keeps its place in `closing`, so the spool keeps its events, and becomes
    /// unsettled: retried with backoff until stored (or recovered by a restart).
    func closed(_ batch: ClosingBatch, outcome: FinishOutcome) async {
        backlog.add(-batch.remainder.count)
        switch outcome {
        case .stored:
            closing.removeValue(forKey: batch.handle)
            await releaseSpool()
        case .unsealed(let error), .sealed(_, _, let error):
            unsettle(UnsettledBatch(batch, outcome: outcome, error: error, now: now()))
        }
    }
}

/// What `Batcher.flush()` achieved.
public struct FlushOutcome: Sendable, Equatable {
    /// Open batches the flush closed.
    public var closed: Int
    /// Closed batches (from this flush or earlier) still not stored; their events wait in the spool.
    public var unstored: Int
    /// Why the last attempt to store a batch failed, if one did.
    public var lastError: String?
}

/// A lock-free counter the ingest path reads to push back when the writer is behind.
public final class BacklogGauge: Sendable {
    let value = Atomic<Int>(0)
    init() {}
    func add(_ n: Int) { value.add(n, ordering: .relaxed) }
    public var bytes: Int { value.load(ordering: .relaxed) }
}
