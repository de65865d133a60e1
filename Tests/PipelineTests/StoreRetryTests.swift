import Foundation
import SluiceTesting
import Testing

@testable import Pipeline

/// A batch that cannot be written (the disk is full, a directory is broken) is retried until stored: its events
/// wait in the spool, `flush` says it failed, and once the cause is gone the next attempt stores every event once.
@Suite struct StoreRetryTests {
    /// Makes `staging/open` unusable (a file in its place), which fails every member write with ENOTDIR, as a
    /// full disk fails them with ENOSPC; works as root, unlike permissions.
    static func breakStaging(_ directory: String) throws {
        let open = directory + "/staging/open"
        try? FileManager.default.removeItem(atPath: open)
        try FileManager.default.createDirectory(atPath: directory + "/staging", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: open, contents: Data()))
    }

    static func repairStaging(_ directory: String) throws {
        let open = directory + "/staging/open"
        try FileManager.default.removeItem(atPath: open)
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true)
    }

    @Test func anUnwritableBatchIsReportedByFlushAndStoredByALaterRetry() async throws {
        let directory = try TemporaryDirectory("retry").path
        var policy = BatchingPolicy()
        policy.memberBytes = 4096
        let harness = try PipelineHarness(directory: directory, policy: policy)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await harness.batcher.runLane() }
            _ = try await harness.recover()
            try Self.breakStaging(directory)
            var ids: [String] = []
            for round in 0..<20 {
                let batch = (0..<20).map { "r\(round)-\($0)" }
                ids += batch
                try await harness.ingestor.ingest(PipelineHarness.record(source: "src", ids: batch))
            }
            let failed = await harness.batcher.flush()
            // A batch closes itself at its first failed member (later events open another), so how many the flush
            // closed, and how many are unstored, depends on timing; at least one is.
            #expect(failed.unstored >= 1)
            #expect(failed.lastError != nil)
            #expect(harness.batcher.storeHealth.unstoredBatches == failed.unstored)
            #expect(try await harness.storedMessageIDs().isEmpty)

            try Self.repairStaging(directory)
            // Events acknowledged meanwhile go to a new batch; the failed one is rebuilt from the spool.
            ids += ["after"]
            try await harness.ingestor.ingest(PipelineHarness.record(source: "src", ids: ["after"]))
            let stored = await harness.batcher.flush()
            #expect(stored.unstored == 0)
            #expect(harness.batcher.storeHealth.unstoredBatches == 0)
            let counts = try await harness.storedMessageIDs()
            #expect(counts.count == ids.count)
            #expect(counts.values.allSatisfy { $0 == 1 })
            #expect(Set(counts.keys) == Set(ids))
            await harness.batcher.drain()
            try await group.waitForAll()
        }
    }

    @Test func retriesRunOnTheirOwnWithBackoff() async throws {
        let directory = try TemporaryDirectory("retry-tick").path
        let harness = try PipelineHarness(directory: directory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await harness.batcher.runLane() }
            _ = try await harness.recover()
            try Self.breakStaging(directory)
            try await harness.ingestor.ingest(PipelineHarness.record(source: "src", ids: ["a", "b"]))
            #expect(await harness.batcher.flush().unstored == 1)
            try Self.repairStaging(directory)
            // No flush: the once-a-second tick retries once the backoff (1 s after the first failure) passed.
            try await Poll.until("the unsettled batch to be stored by a retry", timeout: .seconds(20)) {
                await harness.batcher.tick()
                return harness.batcher.storeHealth.unstoredBatches == 0
            }
            #expect(try await harness.storedMessageIDs() == ["a": 1, "b": 1])
            await harness.batcher.drain()
            try await group.waitForAll()
        }
    }

    @Test(arguments: [1, 2, 3, 6, 7, 20])
    func backoffDoublesUpToAMinute(attempts: Int) {
        let expected: [Int: Int64] = [1: 1000, 2: 2000, 3: 4000, 6: 32_000, 7: 60_000, 20: 60_000]
        #expect(UnsettledBatch.delayMilliseconds(attempts: attempts) == expected[attempts])
    }
}
