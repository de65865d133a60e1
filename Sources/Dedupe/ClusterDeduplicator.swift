import Logging
import Metrics
import Pipeline
import SegmentModel
import Synchronization

/// Cluster-wide de-duplication over a shared log of accepted messageIds (PostgreSQL in a cluster; the root passes
/// its two statements as closures): after the node's own index said "new" and the record is durable, one statement
/// per request records the new ids and names those another node recorded first, whose events are left out of the
/// batch. Rows older than the window are deleted in small batches, at most once a minute per node. When the shared
/// log fails, ingest goes on with local de-duplication only: logged (at most once per 10 s), counted in
/// `sluice_dedupe_cluster_fallbacks_total`, and `sluice_dedupe_cluster_degraded` is 1 until a statement succeeds.
public final class ClusterDeduplicator: SharedMessageIDLog, Sendable {
    /// Records ids (received at the time given), returning those that were already recorded.
    public typealias Record = @Sendable ([String], Int64) async throws -> Set<String>
    /// Deletes at most `limit` ids received before a time.
    public typealias Purge = @Sendable (Int64, Int) async throws -> Int

    let record: Record
    let purge: Purge
    let window: DedupeWindow
    let now: @Sendable () -> Int64
    let logger: Logger
    let state = Mutex<State>(State())
    /// How long after a failed statement the next request asks the shared log again.
    static let retryAfterFailureMilliseconds: Int64 = 1_000

    struct State {
        var lastPurge: Int64 = 0
        var lastLog: Int64?
        var degraded = false
        var lastFailure: Int64 = 0
        /// A request is asking the failing log: the others do not wait for it.
        var probing = false
    }
    let fallbacks = Counter(label: "sluice_dedupe_cluster_fallbacks_total")
    let degraded = Gauge(label: "sluice_dedupe_cluster_degraded")

    public init(
        window: DedupeWindow, now: @escaping @Sendable () -> Int64, logger: Logger, record: @escaping Record,
        purge: @escaping Purge
    ) {
        (self.window, self.now, self.logger, self.record, self.purge) = (window, now, logger, record, purge)
        degraded.record(0)
    }

    public func admit(_ record: EventsRecord, newIDs: [[UInt8]]) async -> (record: EventsRecord?, dropped: Int) {
        // PostgreSQL text cannot hold NUL: such ids stay local-only.
        let ids = newIDs.filter { !$0.contains(0) }.map { String(decoding: $0, as: UTF8.self) }
        // While the shared log is failing, one request at a time (at most one per second) asks it again; the others
        // go on locally at once, so a hung database costs one request a statement timeout, not every request.
        guard shouldAsk() else {
            fallbacks.increment()
            return (record, 0)
        }
        let existing: Set<String>
        do {
            existing = try await self.record(ids, record.receivedAtMilliseconds)
            recovered()
        } catch {
            fellBack(error)
            return (record, 0)
        }
        await purgeIfDue()
        guard !existing.isEmpty else { return (record, 0) }
        return Self.without(existing, in: record)
    }

    /// The record without the lines whose messageId is in `ids` (nil when none is left), and how many went. Lines
    /// and decoded events correspond one to one; should they not, the record is kept whole (a duplicate, not a loss).
    static func without(_ ids: Set<String>, in record: EventsRecord) -> (record: EventsRecord?, dropped: Int) {
        let lines = record.lines.split(separator: UInt8(ascii: "\n"))
        let lineIDs = Deduplicator.messageIDs(ofLines: record.lines, limits: .recovery)
        guard lines.count == lineIDs.count else { return (record, 0) }
        var kept: [UInt8] = []
        var count: UInt32 = 0
        for (line, id) in zip(lines, lineIDs) where !ids.contains(String(decoding: id, as: UTF8.self)) {
            kept.append(contentsOf: line)
            kept.append(UInt8(ascii: "\n"))
            count += 1
        }
        let dropped = lines.count - Int(count)
        guard count > 0 else { return (nil, dropped) }
        return (
            EventsRecord(
                key: record.key, receivedAtMilliseconds: record.receivedAtMilliseconds, eventCount: count, lines: kept),
            dropped
        )
    }

    private func purgeIfDue() async {
        let time = now()
        let due = state.withLock { state in
            guard time - state.lastPurge >= 60_000 else { return false }
            state.lastPurge = time
            return true
        }
        guard due else { return }
        do {
            _ = try await purge(time - window.milliseconds - window.sliceMilliseconds, 5_000)
        } catch {
            fellBack(error)
        }
    }

    /// True when this request should run the statement: always while the log answers; while it fails, only
    /// when no other request is asking and a second has passed since the last failure.
    private func shouldAsk() -> Bool {
        let time = now()
        return state.withLock { state in
            guard state.degraded else { return true }
            guard !state.probing, time - state.lastFailure >= Self.retryAfterFailureMilliseconds else { return false }
            state.probing = true
            return true
        }
    }

    private func recovered() {
        let was = state.withLock { state in
            defer { (state.degraded, state.probing) = (false, false) }
            return state.degraded
        }
        guard was else { return }
        degraded.record(0)
        logger.notice("cluster messageId log reachable again: de-duplication is cluster-wide")
    }

    private func fellBack(_ error: any Error) {
        fallbacks.increment()
        degraded.record(1)
        let time = now()
        let log = state.withLock { state in
            (state.degraded, state.probing, state.lastFailure) = (true, false, time)
            guard state.lastLog.map({ time - $0 >= 10_000 }) ?? true else { return false }
            state.lastLog = time
            return true
        }
        if log {
            logger.error(
                "cluster messageId log unreachable: de-duplicating on this node only",
                metadata: ["dedupe.error": "\(error)"])
        }
    }
}

extension IngestLimits {
    /// Limits for re-reading Sluice's own enriched lines (they passed the real limits once, before enrichment).
    static let recovery = IngestLimits(
        maxSingleCallBytes: .max, maxEventBytes: .max, maxBatchRequestBytes: .max, maxEventsPerBatch: .max,
        maxMessageIDLength: .max, maxNestingDepth: 1_024)
}
