import Deflate
import Logging
import Metrics
import Storage
import Synchronization

/// How an attempt to store a closed batch ended.
enum FinishOutcome: Sendable, Equatable {
    case stored
    /// Nothing was sealed: the batch is rebuilt from the spool on retry.
    case unsealed(String)
    /// Sealed in the spool, but the file did not reach the store: the same file is stored again on retry.
    case sealed(objectKey: String, path: String, String)
}

/// A closed batch not stored yet. Its events stay in the spool (its first sequence stays in `closing`, so the spool
/// is not released past it) until a retry stores it.
struct UnsettledBatch: Sendable {
    /// The handle the batch closed with: its entry in `unsettled` and `closing`.
    let handle: BatchHandle
    let key: BatchKey
    let firstSequence: UInt64
    let lastSequence: UInt64
    let eventCount: UInt64
    let reason: CloseReason
    var outcome: FinishOutcome
    /// The staging file of the last unsealed attempt (removed before a rebuild).
    var stagingPath: String
    var attempts = 1
    var retryAtMilliseconds: Int64
    var queued = false

    init(_ batch: ClosingBatch, outcome: FinishOutcome, error: String, now: Int64) {
        handle = batch.handle
        key = batch.handle.key
        firstSequence = batch.firstSequence
        lastSequence = batch.lastSequence
        eventCount = batch.eventCount
        reason = batch.reason
        self.outcome = outcome
        stagingPath = batch.handle.stagingPath
        retryAtMilliseconds = now + Self.delayMilliseconds(attempts: 1)
    }

    /// 1 s, 2 s, 4 s ... at most 60 s between attempts.
    static func delayMilliseconds(attempts: Int) -> Int64 {
        min(60_000, 1000 << Int64(min(max(attempts - 1, 0), 6)))
    }
}

/// Unsettled batches as health checks and the status route see them, without hopping onto the actor.
public final class StoreHealth: Sendable {
    private let state = Mutex<(count: Int, lastError: String?)>((0, nil))
    init() {}
    /// Closed batches whose file is not stored yet (their events are safe in the spool).
    public var unstoredBatches: Int { state.withLock { $0.count } }
    /// Why the latest failed attempt failed.
    public var lastError: String? { state.withLock { $0.lastError } }
    func update(count: Int, error: String?) { state.withLock { $0 = (count, error ?? $0.lastError) } }
    func cleared(count: Int) { state.withLock { $0 = (count, count == 0 ? nil : $0.lastError) } }
}

extension Batcher {
    func unsettle(_ batch: UnsettledBatch) {
        unsettled[batch.handle] = batch
        if case .unsealed(let error) = batch.outcome { storeHealth.update(count: unsettled.count, error: error) }
        if case .sealed(_, _, let error) = batch.outcome { storeHealth.update(count: unsettled.count, error: error) }
        Gauge(label: "sluice_batches_unstored").record(unsettled.count)
        // A long outage retries every minute: the first attempts and then every tenth are logged.
        guard batch.attempts <= 3 || batch.attempts % 10 == 0 else { return }
        logger.warning(
            "batch not stored; its events stay in the spool and it is retried",
            metadata: [
                "batch": "\(batch.key)", "attempts": "\(batch.attempts)",
                "retry_in_ms": "\(batch.retryAtMilliseconds - now())",
            ])
    }

    /// Queues a lane job for every unsettled batch that is due (or for all of them).
    func queueRetries(all: Bool) {
        let now = now()
        for (handle, batch) in unsettled where !batch.queued && (all || batch.retryAtMilliseconds <= now) {
            unsettled[handle]?.queued = true
            laneInput.yield(.retry(handle))
        }
    }

    /// One more attempt at an unsettled batch, in the lane (so it never races the batch's other writes).
    func retry(_ handle: BatchHandle) async {
        guard var batch = unsettled[handle] else { return }
        batch.queued = false
        let outcome: FinishOutcome
        switch batch.outcome {
        case .stored:
            outcome = .stored
        case .sealed(let key, let path, _):
            do {
                try await store.put(file: path, key: key, metadata: .segmentBatch)
                logger.info("batch stored on retry", metadata: ["batch": "\(batch.key)", "s3.key": "\(key)"])
                outcome = .stored
            } catch {
                outcome = .sealed(objectKey: key, path: path, "\(error)")
            }
        case .unsealed:
            outcome = await rebuild(&batch)
        }
        guard outcome != .stored else {
            unsettled.removeValue(forKey: handle)
            closing.removeValue(forKey: handle)
            storeHealth.cleared(count: unsettled.count)
            Gauge(label: "sluice_batches_unstored").record(unsettled.count)
            await releaseSpool()
            return
        }
        batch.outcome = outcome
        batch.attempts += 1
        batch.retryAtMilliseconds = now() + UnsettledBatch.delayMilliseconds(attempts: batch.attempts)
        unsettle(batch)
    }

    /// Writes a new file for an unsealed batch from its events in the spool (those of its key between its first
    /// and last sequence: exactly what the batch held), then seals and stores it as a fresh batch would be.
    private func rebuild(_ batch: inout UnsettledBatch) async -> FinishOutcome {
        let handle = BatchHandle(key: batch.key, uuid: state.newUUID())
        let (oldPath, newPath) = (dataDirectory + "/" + batch.stagingPath, dataDirectory + "/" + handle.stagingPath)
        batch.stagingPath = handle.stagingPath
        let (spool, compressors, memberBytes) = (self.spool, self.compressors, policy.memberBytes)
        let (key, first, last) = (batch.key, batch.firstSequence, batch.lastSequence)
        let skip = storedRanges[key] ?? []
        let events: UInt64
        do {
            events = try await threadPool.runIfActive {
                _ = unlinkFile(oldPath)
                return try compressors.withCompressor { compressor in
                    try Self.writeFromSpool(
                        spool, key: key, first: first, last: last, skipping: skip, to: newPath,
                        memberBytes: memberBytes, compressor: compressor)
                }
            }
        } catch {
            _ = unlinkFile(newPath)
            logger.error("cannot rebuild batch from the spool", metadata: ["batch": "\(key)", "error": "\(error)"])
            return .unsealed("\(error)")
        }
        guard events == batch.eventCount else {
            _ = unlinkFile(newPath)
            logger.error(
                "rebuilt batch does not hold its events; left for recovery at the next start",
                metadata: ["batch": "\(key)", "events": "\(events)", "expected": "\(batch.eventCount)"])
            return .unsealed("the spool holds \(events) of the batch's \(batch.eventCount) events")
        }
        return await sealAndStore(
            handle, firstSequence: first, lastSequence: last, eventCount: events, reason: batch.reason)
    }

    struct StopReplay: Error {}

    /// Blocking: streams the batch's spooled lines into gzip members appended to `path`; returns the event count.
    /// Records of the key in `skipping` belong to batches already stored.
    static func writeFromSpool(
        _ spool: any SpoolLog, key: BatchKey, first: UInt64, last: UInt64, skipping: [ClosedRange<UInt64>],
        to path: String, memberBytes: Int, compressor: GzipCompressor
    ) throws -> UInt64 {
        var pending: [UInt8] = []
        var events: UInt64 = 0
        do {
            try spool.replay(from: first) { record in
                if record.sequence > last { throw StopReplay() }
                if record.kind == PipelineRecordKind.events {
                    let spooled = try EventsRecord(decoding: record.payload)
                    if spooled.key == key, !skipping.contains(where: { $0.contains(record.sequence) }) {
                        pending.append(contentsOf: spooled.lines)
                        events += UInt64(spooled.eventCount)
                        if pending.count >= memberBytes {
                            try Files.append(compressor.compress(pending), to: path, startWriteback: false)
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                }
                if record.sequence == last { throw StopReplay() }
            }
        } catch is StopReplay {}
        if !pending.isEmpty { try Files.append(compressor.compress(pending), to: path, startWriteback: false) }
        return events
    }
}
