import Logging
import Pipeline
import SluiceTesting
import Synchronization
import Testing

@testable import Dedupe

/// The cluster check around its shared log (closures here; PostgreSQL in `SharedCatalogDedupeTests`): events whose
/// id another node recorded first leave the batch, and an unreachable log changes nothing (local-only).
@Suite struct ClusterDeduplicatorTests {
    static let t0: Int64 = 1_795_478_400_000

    static func record(_ ids: [String]) -> EventsRecord {
        let lines = ids.map { #"{"event":"e","messageId":"\#($0)","type":"track","userId":"u"}"# + "\n" }
        return EventsRecord(
            key: BatchKey(sourceID: "s", day: t0), receivedAtMilliseconds: t0, eventCount: UInt32(ids.count),
            lines: Array(lines.joined().utf8))
    }

    static func cluster(_ record: @escaping ClusterDeduplicator.Record) -> ClusterDeduplicator {
        ClusterDeduplicator(
            window: .standard, now: { t0 }, logger: Logger(label: "cluster-test"), record: record,
            purge: { _, _ in 0 })
    }

    @Test func eventsAnotherNodeAcceptedFirstLeaveTheBatch() async {
        let seen = Mutex<[String]>([])
        let cluster = Self.cluster { ids, _ in
            seen.withLock { $0 += ids }
            return ["b", "d"]
        }
        let (kept, dropped) = await cluster.admit(
            Self.record(["a", "b", "c", "d"]), newIDs: ["a", "b", "c", "d"].map { Array($0.utf8) })
        #expect(dropped == 2)
        #expect(kept == Self.record(["a", "c"]))
        #expect(seen.withLock { $0 } == ["a", "b", "c", "d"])
        let (none, all) = await cluster.admit(Self.record(["b"]), newIDs: [Array("b".utf8)])
        #expect(none == nil && all == 1)
    }

    struct Down: Error {}

    @Test func anUnreachableLogKeepsEveryEvent() async {
        let cluster = Self.cluster { _, _ in throw Down() }
        let record = Self.record(["a", "b"])
        let (kept, dropped) = await cluster.admit(record, newIDs: [Array("a".utf8), Array("b".utf8)])
        #expect(kept == record && dropped == 0)
    }

    /// A hung or failing log costs one request at a time, at most one per second, the wait for its statement: the
    /// others go on locally at once instead of each waiting for the database.
    @Test func aFailingLogIsAskedByOneRequestAtATimeAtMostOncePerSecond() async throws {
        let clock = Mutex<Int64>(Self.t0)
        let calls = Mutex(0)
        let failing = Mutex(true)
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let hold = Mutex(false)
        let cluster = ClusterDeduplicator(
            window: .standard, now: { clock.withLock { $0 } }, logger: Logger(label: "cluster-test"),
            record: { _, _ in
                calls.withLock { $0 += 1 }
                if hold.withLock({ $0 }) { for await _ in gate { break } }
                if failing.withLock({ $0 }) { throw Down() }
                return []
            }, purge: { _, _ in 0 })
        let record = Self.record(["a"])
        let id = [Array("a".utf8)]

        _ = await cluster.admit(record, newIDs: id)  // fails: the log is now known to be failing
        for _ in 0..<5 { #expect(await cluster.admit(record, newIDs: id) == (record, 0)) }
        #expect(calls.withLock { $0 } == 1, "no request asks again within a second of the failure")

        // After a second, one request asks; while it waits on the database, the others do not.
        clock.withLock { $0 += 1_000 }
        hold.withLock { $0 = true }
        let probe = Task { await cluster.admit(record, newIDs: id) }
        try await Poll.until("the probe to reach the log", timeout: .seconds(10)) { calls.withLock { $0 } == 2 }
        for _ in 0..<5 { _ = await cluster.admit(record, newIDs: id) }
        #expect(calls.withLock { $0 } == 2, "requests during the probe go on without the log")
        failing.withLock { $0 = false }
        opener.yield()
        _ = await probe.value

        // Recovered: every request asks again.
        hold.withLock { $0 = false }
        for _ in 0..<3 { _ = await cluster.admit(record, newIDs: id) }
        #expect(calls.withLock { $0 } == 5)
    }
}
