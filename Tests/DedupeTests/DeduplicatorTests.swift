import Foundation
import Logging
import Pipeline
import SluiceTesting
import Spool
import Synchronization
import Testing

@testable import Dedupe

/// The claim/settle protocol the ingest path uses, and recovery of ids from a real spool.
@Suite struct DeduplicatorTests {
    static let t0: Int64 = 1_795_478_400_000
    static let logger = Logger(label: "dedupe-test")

    static func open(_ directory: String, now: Int64 = t0) throws -> Deduplicator {
        try Deduplicator.open(
            directory: directory, window: DedupeWindow(milliseconds: 3_600_000), now: now, logger: logger)
    }

    static func ids(_ names: String?...) -> [[UInt8]?] { names.map { $0.map { Array($0.utf8) } } }

    @Test func duplicatesWithinOneClaimAndAcrossClaims() async throws {
        let directory = try TemporaryDirectory("dedupe-claims")
        defer { directory.remove() }
        let dedupe = try Self.open(directory.path)
        let first = await dedupe.claim(Self.ids("a", "b", "a", nil, nil), receivedAtMilliseconds: Self.t0)
        #expect(first.duplicates == [false, false, true, false, false])
        #expect(first.reserved == [Array("a".utf8), Array("b".utf8)])
        await dedupe.settle(first, accepted: true)
        let second = await dedupe.claim(Self.ids("b", "c", nil), receivedAtMilliseconds: Self.t0 + 1)
        #expect(second.duplicates == [true, false, false])
        await dedupe.settle(second, accepted: true)
        let third = await dedupe.claim(Self.ids("d"), receivedAtMilliseconds: Self.t0 + 2)
        #expect(third.duplicates.isEmpty, "no duplicate: an empty list")
        #expect(!third.isDuplicate(0))
        await dedupe.settle(third, accepted: true)
        #expect(dedupe.statistics.ids == 4)
    }

    /// A refused record (503) frees its ids: the client's retry is new, not a duplicate.
    @Test func refusedClaimsAreForgotten() async throws {
        let directory = try TemporaryDirectory("dedupe-refused")
        defer { directory.remove() }
        let dedupe = try Self.open(directory.path)
        let refused = await dedupe.claim(Self.ids("x"), receivedAtMilliseconds: Self.t0)
        await dedupe.settle(refused, accepted: false)
        let retry = await dedupe.claim(Self.ids("x"), receivedAtMilliseconds: Self.t0)
        #expect(!retry.isDuplicate(0))
    }

    /// Two concurrent requests with one id: the second waits for the first's outcome and follows it.
    @Test(arguments: [true, false])
    func concurrentClaimsOfOneIDWait(firstAccepted: Bool) async throws {
        let directory = try TemporaryDirectory("dedupe-concurrent")
        defer { directory.remove() }
        let dedupe = try Self.open(directory.path)
        let first = await dedupe.claim(Self.ids("same", "other"), receivedAtMilliseconds: Self.t0)
        let finished = Atomic<Bool>(false)
        let second = Task {
            let claim = await dedupe.claim(Self.ids("same"), receivedAtMilliseconds: Self.t0)
            finished.store(true, ordering: .sequentiallyConsistent)
            return claim
        }
        // The second claim is parked while the first holds "same" (polled, not slept: it must stay parked).
        try await Poll.until("the second claim to be waiting", timeout: .seconds(10)) {
            dedupe.waitingClaims == 1
        }
        let finishedEarly = finished.load(ordering: .sequentiallyConsistent)
        #expect(!finishedEarly)
        await dedupe.settle(first, accepted: firstAccepted)
        let result = await second.value
        #expect(result.isDuplicate(0) == firstAccepted)
    }

    /// Once a slice is over, a sync shrinks its filter to the ids it holds; every id is still found, none invented.
    @Test func syncCompactsFiltersOfPastSlices() async throws {
        let directory = try TemporaryDirectory("dedupe-compact")
        defer { directory.remove() }
        let window = DedupeWindow(milliseconds: 3_600_000)
        let dedupe = try Deduplicator.open(directory: directory.path, window: window, now: Self.t0, logger: Self.logger)
        let first: [[UInt8]?] = (0..<1_000).map { Array("first-\($0)".utf8) }
        await dedupe.settle(
            await dedupe.claim(first, receivedAtMilliseconds: Self.t0), accepted: true)
        let later = Self.t0 + window.sliceMilliseconds
        await dedupe.settle(await dedupe.claim(Self.ids("later"), receivedAtMilliseconds: later), accepted: true)
        let before = dedupe.statistics.memoryBytes
        try dedupe.sync()
        #expect(dedupe.statistics.memoryBytes < before)
        let again = await dedupe.claim(first + Self.ids("later", "new"), receivedAtMilliseconds: later)
        #expect(again.duplicates == Array(repeating: true, count: 1_001) + [false])
    }

    /// Ids appended to the spool but never synced into the index (a crash between the two) come back from the
    /// spool's records at start-up; events without a client id (Sluice-assigned ones) are inserted too.
    @Test func recoveryReinsertsIDsFromTheSpool() async throws {
        let directory = try TemporaryDirectory("dedupe-recovery")
        defer { directory.remove() }
        var configuration = SpoolConfiguration(directory: directory.path + "/spool")
        configuration.preallocate = false
        let spool = try Spool.open(configuration: configuration, logger: Self.logger)
        let lines = (0..<50).map {
            #"{"event":"e","messageId":"rec-\#($0)","receivedAt":"2026-11-24T00:00:00.000Z","type":"track","userId":"u"}"#
        }
        let escaped = #"{"event":"e","messageId":"esc\u0061ped","type":"track","userId":"u"}"#
        let record = EventsRecord(
            key: BatchKey(sourceID: "src", day: Self.t0), receivedAtMilliseconds: Self.t0 + 10, eventCount: 51,
            lines: Array((lines + [escaped]).joined(separator: "\n").utf8) + [10])
        _ = try await spool.append(kind: PipelineRecordKind.events, payload: record.encoded())
        _ = try await spool.append(kind: PipelineRecordKind.seal, payload: [1, 2, 3])
        let dedupe = try Self.open(directory.path + "/dedupe", now: Self.t0 + 20)
        let report = try dedupe.recover(from: spool, now: Self.t0 + 20)
        #expect(report == .init(records: 1, messageIDs: 51, inserted: 51))
        let again = try dedupe.recover(from: spool, now: Self.t0 + 20)
        #expect(again.inserted == 0)
        let claim = await dedupe.claim(Self.ids("rec-7", "escaped", "rec-50"), receivedAtMilliseconds: Self.t0 + 30)
        #expect(claim.duplicates == [true, true, false])
        spool.close()
    }
}
