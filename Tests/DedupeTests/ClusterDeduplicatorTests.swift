import Logging
import Pipeline
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
}
