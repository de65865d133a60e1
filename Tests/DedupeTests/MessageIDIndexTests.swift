import Foundation
import SluiceTesting
import Testing

@testable import Dedupe

/// The disk-backed index: exact answers (full bytes compared, so hash and filter collisions never drop a new id),
/// growth past a table's limit, persistence across a reopen, and time-sliced expiry driven by explicit times.
@Suite struct MessageIDIndexTests {
    static let t0: Int64 = 1_795_478_400_000
    static let window = DedupeWindow(milliseconds: 8_000)

    static func randomIDs(_ count: Int, prefix: String = "") -> [[UInt8]] {
        (0..<count).map { _ in Array((prefix + UUID().uuidString).utf8) }
    }

    @Test func distinctIDsAreNeverTakenForSeen() throws {
        let directory = try TemporaryDirectory("dedupe-index")
        defer { directory.remove() }
        // A small first table: the slice grows through several tables of doubling size.
        let index = try MessageIDIndex.open(
            directory: directory.path, window: Self.window, now: Self.t0, minimumCapacity: 64)
        let inserted = Self.randomIDs(20_000)
        for id in inserted {
            #expect(try !index.contains(id, now: Self.t0))
            try index.insert([id], receivedAt: Self.t0, now: Self.t0)
        }
        #expect(index.files.count > 3)
        #expect(index.count == 20_000)
        for id in inserted { #expect(try index.contains(id, now: Self.t0)) }
        var falsePositives = 0
        for id in Self.randomIDs(20_000) where try index.contains(id, now: Self.t0) { falsePositives += 1 }
        #expect(falsePositives == 0)
    }

    /// One call with more ids than the current table takes: the rest go to the next, larger table.
    @Test func oneInsertSpansTables() throws {
        let directory = try TemporaryDirectory("dedupe-span")
        defer { directory.remove() }
        let index = try MessageIDIndex.open(
            directory: directory.path, window: Self.window, now: Self.t0, minimumCapacity: 16)
        let ids = Self.randomIDs(1_000)
        try index.insert(ids, receivedAt: Self.t0, now: Self.t0)
        #expect(index.count == 1_000)
        #expect(index.files.count > 2)
        for id in ids { #expect(try index.contains(id, now: Self.t0)) }
        for id in Self.randomIDs(1_000) { #expect(try !index.contains(id, now: Self.t0)) }
    }

    /// Every id hashes to the same value: same slot, same filter bits. Only the byte comparison tells them apart.
    @Test(arguments: [UInt64(0), 0xdead_beef_dead_beef])
    func collidingHashesStillCompareFullBytes(hash: UInt64) throws {
        let directory = try TemporaryDirectory("dedupe-collide")
        defer { directory.remove() }
        let index = try MessageIDIndex.open(
            directory: directory.path, window: Self.window, now: Self.t0, hasher: MessageIDHasher { _ in hash },
            minimumCapacity: 16)
        let inserted = (0..<300).map { Array("id-\($0)".utf8) }
        for id in inserted { try index.insert([id], receivedAt: Self.t0, now: Self.t0) }
        for id in inserted { #expect(try index.contains(id, now: Self.t0)) }
        // Prefixes, extensions and same-length neighbours of stored ids are all new.
        for other in ["id-", "id-1x", "id-300", "id-00", "di-1", ""] {
            #expect(try !index.contains(Array(other.utf8), now: Self.t0), "\(other)")
        }
    }

    @Test func survivesReopen() throws {
        let directory = try TemporaryDirectory("dedupe-reopen")
        defer { directory.remove() }
        let ids = Self.randomIDs(1_000)
        do {
            let index = try MessageIDIndex.open(
                directory: directory.path, window: Self.window, now: Self.t0, minimumCapacity: 128)
            for id in ids { try index.insert([id], receivedAt: Self.t0, now: Self.t0) }
            try index.writeUnwritten()
            for file in index.takeDirty() { try file.sync() }
        }
        let reopened = try MessageIDIndex.open(directory: directory.path, window: Self.window, now: Self.t0 + 1)
        #expect(reopened.count == 1_000)
        for id in ids { #expect(try reopened.contains(id, now: Self.t0 + 1)) }
        #expect(try !reopened.contains(Array("never".utf8), now: Self.t0 + 1))
    }

    /// An 8 s window in 1 s slices: an id is known for at least the window, at most one slice more, then its files
    /// are deleted; a reopen after the window deletes them too.
    @Test func windowExpiry() throws {
        let directory = try TemporaryDirectory("dedupe-expiry")
        defer { directory.remove() }
        let index = try MessageIDIndex.open(directory: directory.path, window: Self.window, now: Self.t0)
        let early = Array("early".utf8)
        let late = Array("late".utf8)
        try index.insert([early], receivedAt: Self.t0 + 100, now: Self.t0 + 100)
        try index.insert([late], receivedAt: Self.t0 + 5_000, now: Self.t0 + 5_000)
        #expect(try index.contains(early, now: Self.t0 + 8_100))
        #expect(try !index.contains(early, now: Self.t0 + 9_000))
        #expect(try index.contains(late, now: Self.t0 + 9_000))
        index.expire(now: Self.t0 + 9_000)
        #expect(index.files.count == 1)
        #expect(Files.tables(directory.path).count == 1)
        let reopened = try MessageIDIndex.open(directory: directory.path, window: Self.window, now: Self.t0 + 14_000)
        #expect(reopened.files.isEmpty)
        #expect(Files.tables(directory.path).isEmpty)
        // Inserting for a time already out of the window remembers nothing.
        try reopened.insert([early], receivedAt: Self.t0, now: Self.t0 + 14_000)
        #expect(reopened.count == 0)
    }

    @Test func refusesForeignFiles() throws {
        let directory = try TemporaryDirectory("dedupe-foreign")
        defer { directory.remove() }
        _ = FileManager.default.createFile(atPath: directory.path + "/notes.txt", contents: Data())
        #expect(throws: DedupeError.self) {
            try MessageIDIndex.open(directory: directory.path, window: Self.window, now: Self.t0)
        }
    }

    @Test(arguments: [
        ("24h", Int64(86_400_000)), ("90m", 5_400_000), ("30s", 30_000), ("45", 45_000), ("7d", 604_800_000),
        (" 2H ", 7_200_000),
    ])
    func parsesWindows(text: String, milliseconds: Int64) {
        #expect(DedupeWindow.parse(text) == .some(DedupeWindow(milliseconds: milliseconds)))
    }

    @Test(arguments: ["off", "0", "0h", "OFF"])
    func parsesOff(text: String) {
        #expect(DedupeWindow.parse(text) == .some(nil))
    }

    @Test(arguments: ["", "h", "-1h", "1.5h", "1w", "99999d", "24 h", "١h"])
    func rejectsBadWindows(text: String) {
        #expect(DedupeWindow.parse(text) == nil)
    }
}

enum Files {
    static func tables(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tab") }
    }
}
