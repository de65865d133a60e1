import Foundation
import SluiceTesting
import Testing
import Storage

@testable import Pipeline

/// Crash recovery with the real spool and store: nothing acknowledged is lost, nothing stored twice.
@Suite struct RecoveryTests {
    @Test func unflushedEventsAreRebatchedAfterACrash() async throws {
        let dir = try TemporaryDirectory("recovery")
        defer { dir.remove() }
        var expected: Set<String> = []
        do {
            let first = try PipelineHarness(directory: dir.path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await first.batcher.runLane() }
                _ = try await first.recover()
                for n in 0..<60 {
                    let ids = (0..<5).map { "m-\(n)-\($0)" }
                    expected.formUnion(ids)
                    try await first.ingestor.ingest(PipelineHarness.record(source: "src\(n % 3)", ids: ids))
                }
                // Close some batches (stored and sealed), leave the rest open: then "crash".
                await first.batcher.flush()
                for n in 60..<80 {
                    let ids = (0..<5).map { "m-\(n)-\($0)" }
                    expected.formUnion(ids)
                    try await first.ingestor.ingest(PipelineHarness.record(source: "src\(n % 4)", ids: ids))
                }
                group.cancelAll()
            }
            first.spool.close()
        }
        let second = try PipelineHarness(directory: dir.path)
        let report = try await second.recoverAndDrain()
        #expect(report.eventsRecordsRebatched == 20)
        let counts = try await second.storedMessageIDs()
        #expect(Set(counts.keys) == expected)
        #expect(counts.values.allSatisfy { $0 == 1 })
        second.spool.close()
    }

    @Test func aSealedBatchWhoseStorePutFailedIsCompletedNotDuplicated() async throws {
        let dir = try TemporaryDirectory("recovery")
        defer { dir.remove() }
        // Every put fails in the first run, the flush's own retry included: the seal is left for recovery.
        let failing = FailingStore(inner: LocalArchiveStore(root: dir.path + "/bucket"), failFirst: .max)
        do {
            let first = try PipelineHarness(directory: dir.path, store: failing)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await first.batcher.runLane() }
                _ = try await first.recover()
                try await first.ingestor.ingest(PipelineHarness.record(source: "s", ids: ["a", "b"]))
                #expect(await first.batcher.flush().unstored == 1)
                group.cancelAll()
            }
            first.spool.close()
        }
        #expect(failing.failures.withLock { $0 } == 2)
        let second = try PipelineHarness(directory: dir.path)
        let report = try await second.recoverAndDrain()
        #expect(report.sealsCompleted == 1)
        #expect(report.eventsRecordsRebatched == 0)
        #expect(try await second.storedMessageIDs() == ["a": 1, "b": 1])
        second.spool.close()
    }

    @Test func aBatchWithAFailedMemberIsNeverSealedAndItsEventsSurvive() async throws {
        let dir = try TemporaryDirectory("recovery")
        defer { dir.remove() }
        var policy = BatchingPolicy()
        policy.memberBytes = 64
        let ids = (0..<20).map { "p-\($0)" }
        do {
            let first = try PipelineHarness(
                directory: dir.path, policy: policy, newUUID: { "2a6040fa-a95d-4129-ba99-b311eca23c0e" })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await first.batcher.runLane() }
                _ = try await first.recover()
                // A directory where the batch file should be: every member write fails, as on a broken disk.
                let record = PipelineHarness.record(source: "s", ids: [ids[0]])
                let staging = dir.path + "/staging/open/s-\(record.key.day)-2a6040fa-a95d-4129-ba99-b311eca23c0e.gz"
                try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
                for id in ids { try await first.ingestor.ingest(PipelineHarness.record(source: "s", ids: [id])) }
                await first.batcher.flush()
                #expect(try await first.store.list(prefix: "segment-logs/").isEmpty, "no batch may claim lost events")
                try FileManager.default.removeItem(atPath: staging)
                group.cancelAll()
            }
            first.spool.close()
        }
        let second = try PipelineHarness(directory: dir.path)
        let report = try await second.recoverAndDrain()
        #expect(report.seals == 0)
        #expect(report.eventsRecordsRebatched == ids.count)
        #expect(try await second.storedMessageIDs() == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
        second.spool.close()
    }

    @Test func storedBatchesLetTheSpoolReleaseSegments() async throws {
        let dir = try TemporaryDirectory("recovery")
        defer { dir.remove() }
        let harness = try PipelineHarness(directory: dir.path, segmentBytes: 4096)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await harness.batcher.runLane() }
            _ = try await harness.recover()
            for n in 0..<200 {
                try await harness.ingestor.ingest(PipelineHarness.record(source: "s", ids: ["r\(n)"]))
            }
            let before = harness.spool.usage
            await harness.batcher.drain()
            let after = harness.spool.usage
            #expect(after.segmentCount < before.segmentCount)
            #expect(after.retainedBytes < before.retainedBytes)
        }
        #expect(try await harness.storedMessageIDs().count == 200)
        harness.spool.close()
    }
}

/// The local store with its first put failing, as a full disk or a lost mount would.
final class FailingStore: ArchiveStore, @unchecked Sendable {
    let inner: LocalArchiveStore
    let failures = Mutex2(0)

    let failFirst: Int

    init(inner: LocalArchiveStore, failFirst: Int = 1) {
        self.inner = inner
        self.failFirst = failFirst
    }

    var location: String { inner.location }
    func put(file path: String, key: String, metadata: ObjectMetadata) async throws(ArchiveStoreError) {
        let fail = failures.withLock { n -> Bool in
            n += 1
            return n <= failFirst
        }
        if fail { throw ArchiveStoreError(.failed, "injected failure") }
        try await inner.put(file: path, key: key, metadata: metadata)
    }
    func head(key: String) async throws(ArchiveStoreError) -> StoredObject? { try await inner.head(key: key) }
    func list(prefix: String) async throws(ArchiveStoreError) -> [StoredObject] {
        try await inner.list(prefix: prefix)
    }
    func download(key: String, to path: String) async throws(ArchiveStoreError) -> StoredObject {
        try await inner.download(key: key, to: path)
    }
    func localFile(key: String) async throws(ArchiveStoreError) -> LocalObjectFile {
        try await inner.localFile(key: key)
    }
    func release(_ file: LocalObjectFile) async { await inner.release(file) }
    func delete(key: String) async throws(ArchiveStoreError) { try await inner.delete(key: key) }
}

/// A tiny lock-protected box for test doubles.
final class Mutex2<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
