import Foundation
import Logging
import SluiceTesting
import Testing

@testable import Dedupe

/// Inserts stay in memory (found by lookups at once) until a writer puts them in the files: in bulk in the
/// background once enough wait, all of them at `sync`; a failed write keeps them for the next one.
@Suite struct UnwrittenEntriesTests {
    static let t0: Int64 = 1_795_478_400_000
    static let window = DedupeWindow(milliseconds: 3_600_000)
    static let logger = Logger(label: "dedupe-unwritten-test")

    static func ids(_ prefix: String, _ count: Int) -> [[UInt8]?] { (0..<count).map { Array("\(prefix)-\($0)".utf8) } }

    /// Bytes of the `.ids` logs in `directory`: what reached the files.
    static func logBytes(_ directory: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".ids") }.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name))?[.size] as? Int
            return total + (size ?? 0)
        }
    }

    @Test func insertsAreFoundBeforeTheyAreWrittenAndSurviveAReopenAfterSync() async throws {
        let directory = try TemporaryDirectory("dedupe-unwritten")
        defer { directory.remove() }
        let first = Self.ids("a", 500)
        do {
            let dedupe = try Deduplicator.open(
                directory: directory.path, window: Self.window, now: Self.t0, logger: Self.logger,
                writeThreshold: 1_000_000)
            await dedupe.settle(await dedupe.claim(first, receivedAtMilliseconds: Self.t0), accepted: true)
            #expect(dedupe.unwrittenCount == 500)
            #expect(Self.logBytes(directory.path) == 0, "nothing written on the request path")
            let again = await dedupe.claim(first + Self.ids("b", 1), receivedAtMilliseconds: Self.t0 + 1)
            #expect(again.duplicates == Array(repeating: true, count: 500) + [false])
            await dedupe.settle(again, accepted: true)
            try dedupe.sync()
            #expect(dedupe.unwrittenCount == 0)
            #expect(Self.logBytes(directory.path) > 500 * 3)
        }
        let reopened = try Deduplicator.open(
            directory: directory.path, window: Self.window, now: Self.t0 + 2, logger: Self.logger)
        let claim = await reopened.claim(first + Self.ids("b", 1) + Self.ids("c", 1), receivedAtMilliseconds: Self.t0 + 2)
        #expect(claim.duplicates == Array(repeating: true, count: 501) + [false])
    }

    @Test func aBackgroundWriteStartsAtTheThreshold() async throws {
        let directory = try TemporaryDirectory("dedupe-threshold")
        defer { directory.remove() }
        let dedupe = try Deduplicator.open(
            directory: directory.path, window: Self.window, now: Self.t0, logger: Self.logger, writeThreshold: 100)
        await dedupe.settle(await dedupe.claim(Self.ids("x", 50), receivedAtMilliseconds: Self.t0), accepted: true)
        #expect(dedupe.unwrittenCount == 50, "under the threshold: still in memory")
        await dedupe.settle(await dedupe.claim(Self.ids("y", 60), receivedAtMilliseconds: Self.t0), accepted: true)
        try await Poll.until("the background write", timeout: .seconds(30)) { dedupe.unwrittenCount == 0 }
        #expect(Self.logBytes(directory.path) > 0)
        let claim = await dedupe.claim(Self.ids("x", 50) + Self.ids("y", 60), receivedAtMilliseconds: Self.t0 + 1)
        #expect(claim.duplicateCount == 110)
    }

    /// Every id has the same hash: entries in memory, being written and in the table are told apart by their bytes,
    /// and a failed write gives its entries back in front of newer ones.
    @Test func collidingIDsAcrossMemoryAndTableAndAFailedWrite() throws {
        let directory = try TemporaryDirectory("dedupe-unwritten-collide")
        defer { directory.remove() }
        let index = try MessageIDIndex.open(
            directory: directory.path, window: Self.window, now: Self.t0, hasher: MessageIDHasher { _ in 7 },
            minimumCapacity: 1_024)
        let written = (0..<100).map { Array("w-\($0)".utf8) }
        let failed = (0..<50).map { Array("f-\($0)".utf8) }
        let newer = (0..<50).map { Array("n-\($0)".utf8) }
        try index.insert(written, receivedAt: Self.t0, now: Self.t0)
        try index.writeUnwritten()
        try index.insert(failed, receivedAt: Self.t0, now: Self.t0)
        let taken = index.takeUnwritten()
        #expect(taken.count == 1)
        try index.insert(newer, receivedAt: Self.t0, now: Self.t0)
        for (file, _) in taken { file.finishWriting(written: false) }
        #expect(index.unwrittenCount == 100)
        for id in written + failed + newer { #expect(try index.contains(id, now: Self.t0)) }
        for other in ["w-100", "f-", "n-50", "x"] { #expect(try !index.contains(Array(other.utf8), now: Self.t0)) }
        try index.writeUnwritten()
        for file in index.takeDirty() { try file.sync() }
        let reopened = try MessageIDIndex.open(
            directory: directory.path, window: Self.window, now: Self.t0, hasher: MessageIDHasher { _ in 7 })
        #expect(reopened.count == 200)
        for id in written + failed + newer { #expect(try reopened.contains(id, now: Self.t0)) }
        #expect(try !reopened.contains(Array("n-50".utf8), now: Self.t0))
    }

    @Test func slotBitmapProbesLinearlyAndWraps() {
        var bitmap = SlotBitmap(capacity: 8)
        #expect(bitmap.take(from: 6) == 6)
        #expect(bitmap.take(from: 6) == 7)
        #expect(bitmap.take(from: 6) == 0)
        #expect(bitmap.take(from: 14) == 1, "the home slot is taken modulo the capacity")
        for _ in 0..<4 { #expect(bitmap.take(from: 0) != nil) }
        #expect(bitmap.take(from: 3) == nil, "full")
    }
}
