import Foundation
import Storage
import Testing

/// What every archive store must do: the pipeline puts batches, the copy job and `sluice logs` list, read and
/// delete them, through this one protocol.
@Suite struct ArchiveStoreContractTests {
    static let key =
        "segment-logs/src1/1700006400000/1700000000001.aabbccddeeff.dev.0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1.gz"

    func file(_ scratch: String, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ArchiveStoreImplementation.allCases)
    func putThenHeadListDownloadAndReadGiveTheSameBytes(_ implementation: ArchiveStoreImplementation) async throws {
        try await implementation.with { store, scratch in
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            #expect(try await store.head(key: Self.key) == nil)
            #expect(try await !store.exists(key: Self.key))
            let source = try file(scratch, "batch", bytes)
            try await store.put(file: source, key: Self.key, metadata: .segmentBatch)
            #expect(!FileManager.default.fileExists(atPath: source), "the store takes the file over")

            let head = try #require(try await store.head(key: Self.key))
            #expect(head.size == Int64(bytes.count) && head.key == Self.key && head.eTag != nil)
            #expect(try await store.exists(key: Self.key))

            let downloaded = try await store.download(key: Self.key, to: scratch + "/copy")
            #expect(downloaded.size == Int64(bytes.count))
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: scratch + "/copy"))) == bytes)

            let local = try await store.localFile(key: Self.key)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: local.path))) == bytes)
            await store.release(local)
        }
    }

    @Test(arguments: ArchiveStoreImplementation.allCases)
    func listReturnsWhatIsUnderThePrefixSortedByKey(_ implementation: ArchiveStoreImplementation) async throws {
        try await implementation.with { store, scratch in
            let keys = [
                "segment-logs/b/1/z.gz", "segment-logs/a/2/y.gz", "segment-logs/a/1/x.gz", "segment-logsX/a/1/w.gz",
                "other/v.gz",
            ]
            for (n, key) in keys.enumerated() {
                try await store.put(file: try file(scratch, "f\(n)", [UInt8(n)]), key: key, metadata: .segmentBatch)
            }
            #expect(
                try await store.list(prefix: "segment-logs/").map(\.key) == [
                    "segment-logs/a/1/x.gz", "segment-logs/a/2/y.gz", "segment-logs/b/1/z.gz",
                ])
            #expect(try await store.list(prefix: "segment-logs/a/1/").map(\.key) == ["segment-logs/a/1/x.gz"])
            #expect(try await store.list(prefix: "segment-logs/c/").isEmpty)
            #expect(try await store.list(prefix: "").count == keys.count)
        }
    }

    @Test(arguments: ArchiveStoreImplementation.allCases)
    func deleteRemovesAndIsIdempotent(_ implementation: ArchiveStoreImplementation) async throws {
        try await implementation.with { store, scratch in
            try await store.put(file: try file(scratch, "f", [1, 2, 3]), key: Self.key, metadata: .segmentBatch)
            try await store.delete(key: Self.key)
            #expect(try await store.head(key: Self.key) == nil)
            try await store.delete(key: Self.key)
            await #expect(throws: ArchiveStoreError.self) {
                _ = try await store.download(key: Self.key, to: scratch + "/gone")
            }
        }
    }

    @Test(
        arguments: ArchiveStoreImplementation.allCases, ["", "../escape.gz", "a//b.gz", "a/./b.gz", "/abs.gz", "a\\b"])
    func unsafeKeysAreRefusedAndStoreNothing(_ implementation: ArchiveStoreImplementation, key: String) async throws {
        try await implementation.with { store, scratch in
            let path = try file(scratch, "f", [9])
            do throws(ArchiveStoreError) {
                try await store.put(file: path, key: key, metadata: .segmentBatch)
                Issue.record("key '\(key)' accepted")
            } catch {
                #expect(error.code == .invalidKey)
            }
            #expect(FileManager.default.fileExists(atPath: path), "a refused put leaves the file where it was")
            #expect(try await store.list(prefix: "").isEmpty)
        }
    }
}
