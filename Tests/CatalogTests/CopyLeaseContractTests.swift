import Catalog
import Foundation
import Testing

/// The staged-file ledger and copy as leased work, on every catalog implementation.
@Suite struct CopyLeaseContractTests {
    static func file(_ source: String, _ n: Int, size: Int64 = 10) -> StagedFile {
        StagedFile(
            key: "segment-logs/\(source)/1700006400000/\(1_700_000_000_000 + n).aabbccddeeff.dev.u\(n).gz",
            sourceID: source, receivedDayMilliseconds: 1_700_006_400_000, size: size, checksum: "md5-\(n)",
            writer: "aabbccddeeff", stagedAtMilliseconds: 5)
    }

    /// A catalog with a source and one enabled destination `d1`.
    static func prepared(_ catalog: any SluiceCatalog) async throws -> Source {
        let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
        try await catalog.createDestination(
            Destination(id: "d1", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 1))
        return source
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theLedgerRecordsAFileOnceWithItsWorkAndRetentionForgetsBoth(_ implementation: CatalogImplementation)
        async throws
    {
        try await implementation.with { catalog, reopen in
            let source = try await Self.prepared(catalog)
            try await catalog.createDestination(
                Destination(
                    id: "d2", sourceID: source.id, bucket: "bucket-two", enabled: false, createdAtMilliseconds: 1))
            let file = Self.file(source.id, 1)
            try await catalog.recordStaged(file)
            try await catalog.recordStaged(file)  // a re-upload after a crash: a no-op, never a second row
            let again = try await reopen()
            #expect(try await again.stagedFiles(sourceID: source.id) == [file])
            #expect(try await again.stagedFiles(sourceID: "other").isEmpty)
            // Work for the enabled destination only, waiting for the next run.
            #expect(try await again.copyWorkCounts(nowMilliseconds: 10) == (0, 1))
            #expect(
                try await again.claimCopyWork(owner: "a", limit: 5, leaseMilliseconds: 100, nowMilliseconds: 10)
                    .isEmpty)
            #expect(try await again.requestCopyRun(nowMilliseconds: 10) == 1)
            try await again.recordDelivery(
                DeliveryRecord(
                    destinationID: "d1", stagedKey: file.key, size: 10, eTag: nil, deliveredAtMilliseconds: 11))
            try await again.forgetStaged(keys: [file.key])
            #expect(try await again.stagedFiles(sourceID: nil).isEmpty)
            #expect(try await again.copyWorkCounts(nowMilliseconds: 10) == (0, 0))
            #expect(try await again.deliveredKeys(destinationID: "d1").isEmpty)
            #expect(try await again.hasCompletedOnce("backfill") == false)
            try await again.markCompletedOnce("backfill", atMilliseconds: 1)
            try await again.markCompletedOnce("backfill", atMilliseconds: 2)
            #expect(try await catalog.hasCompletedOnce("backfill"))
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func concurrentClaimersGetDisjointRows(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let source = try await Self.prepared(catalog)
            try await catalog.recordStaged((0..<40).map { Self.file(source.id, $0) })
            #expect(try await catalog.requestCopyRun(nowMilliseconds: 100) == 40)
            let other = try await reopen()
            let claimers: [(String, any SluiceCatalog)] = [("a", catalog), ("b", other), ("c", catalog), ("d", other)]
            let claimed = try await withThrowingTaskGroup(of: [CopyLease].self) { group in
                for (owner, connection) in claimers {
                    group.addTask {
                        var mine: [CopyLease] = []
                        while true {
                            let batch = try await connection.claimCopyWork(
                                owner: owner, limit: 3, leaseMilliseconds: 60_000, nowMilliseconds: 100)
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                var all: [CopyLease] = []
                for try await leases in group { all += leases }
                return all
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed.map(\.stagedKey)).count == 40)
            #expect(claimed.allSatisfy { $0.epoch == 1 && $0.expiresAtMilliseconds == 60_100 })
            await other.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func anExpiredLeaseIsReclaimedWithAHigherEpochAndTheStaleHolderCannotComplete(
        _ implementation: CatalogImplementation
    ) async throws {
        try await implementation.with { catalog, _ in
            let source = try await Self.prepared(catalog)
            let file = Self.file(source.id, 1)
            try await catalog.recordStaged(file)
            try await catalog.requestCopyRun(nowMilliseconds: 100)
            let first = try #require(
                try await catalog.claimCopyWork(owner: "a", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 100)
                    .first)
            #expect(first.epoch == 1 && first.owner == "a" && first.size == 10 && first.stagedKey == file.key)
            // Held: nobody else gets it, and renewal extends it.
            #expect(
                try await catalog.claimCopyWork(owner: "b", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 900)
                    .isEmpty)
            let renewed = try await catalog.renewCopyLeases([first], leaseMilliseconds: 1_000, nowMilliseconds: 900)
            #expect(renewed.map(\.expiresAtMilliseconds) == [1_900])
            #expect(
                try await catalog.claimCopyWork(owner: "b", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 1_500)
                    .isEmpty)
            // Expired: another node takes it over with a new epoch.
            let second = try #require(
                try await catalog.claimCopyWork(owner: "b", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 2_000)
                    .first)
            #expect(second.epoch == 2 && second.owner == "b")
            let record = DeliveryRecord(
                destinationID: "d1", stagedKey: file.key, size: 10, eTag: "e", deliveredAtMilliseconds: 2_100)
            // The fence: the old holder can neither renew, nor give back, nor complete.
            #expect(
                try await catalog.renewCopyLeases([first], leaseMilliseconds: 1_000, nowMilliseconds: 2_100).isEmpty)
            try await catalog.releaseCopyWork([first], retryAtMilliseconds: 99_999)
            #expect(try await catalog.completeCopyWork(first, delivery: record) == false)
            #expect(try await catalog.deliveredKeys(destinationID: "d1").isEmpty)
            #expect(try await catalog.copyWorkCounts(nowMilliseconds: 2_100) == (1, 1))
            // The holder completes: the work row goes, the delivery row stays.
            #expect(try await catalog.completeCopyWork(second, delivery: record))
            #expect(try await catalog.completeCopyWork(second, delivery: record) == false)
            #expect(try await catalog.deliveredKeys(destinationID: "d1") == [file.key])
            #expect(try await catalog.copyWorkCounts(nowMilliseconds: 2_100) == (0, 0))
            // Delivered files are not owed again by a later run.
            #expect(try await catalog.requestCopyRun(nowMilliseconds: 3_000) == 0)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func releasedWorkComesBackAtItsRetryTimeAndANewDestinationGetsTheBacklog(_ implementation: CatalogImplementation)
        async throws
    {
        try await implementation.with { catalog, _ in
            let source = try await Self.prepared(catalog)
            try await catalog.recordStaged([Self.file(source.id, 1), Self.file(source.id, 2)])
            try await catalog.requestCopyRun(nowMilliseconds: 100)
            let claimed = try await catalog.claimCopyWork(
                owner: "a", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 100)
            #expect(claimed.count == 2)
            try await catalog.releaseCopyWork(claimed, retryAtMilliseconds: 60_000)
            #expect(
                try await catalog.claimCopyWork(owner: "a", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 200)
                    .isEmpty)
            #expect(try await catalog.copyWorkCounts(nowMilliseconds: 200) == (0, 2))
            let back = try await catalog.claimCopyWork(
                owner: "b", limit: 5, leaseMilliseconds: 1_000, nowMilliseconds: 60_000)
            #expect(back.map(\.epoch) == [2, 2])
            // A destination added later is owed every staged file of its source at the next run.
            try await catalog.createDestination(
                Destination(id: "d2", sourceID: source.id, bucket: "bucket-two", createdAtMilliseconds: 2))
            #expect(try await catalog.requestCopyRun(nowMilliseconds: 61_000) == 4)
            // Work of a disabled destination is neither claimed nor counted (`copy --now` does not wait for it).
            var d2 = try #require(try await catalog.destination(id: "d2"))
            d2.enabled = false
            try await catalog.updateDestination(d2)
            #expect(try await catalog.copyWorkCounts(nowMilliseconds: 62_000) == (2, 2))
            let rest = try await catalog.claimCopyWork(
                owner: "c", limit: 10, leaseMilliseconds: 1_000, nowMilliseconds: 62_000)
            #expect(rest.map(\.destinationID) == ["d1", "d1"])
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theScheduledRunOfASlotIsClaimedOnce(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let other = try await reopen()
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for node in [catalog, other, catalog, other] {
                    group.addTask { try await node.claimScheduledRun(slot: 1_000) }
                }
                var wins = 0
                for try await won in group where won { wins += 1 }
                return wins
            }
            #expect(wins == 1)
            #expect(try await catalog.claimScheduledRun(slot: 500) == false)
            #expect(try await catalog.claimScheduledRun(slot: 2_000))
            #expect(try await other.lastScheduledRun() == 2_000)
            await other.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func nodesListTheCopyLeasesTheyHold(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let source = try await Self.prepared(catalog)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await catalog.registerNode(
                NodeRecord(
                    id: "a", instance: "aabbccddeeff", address: "127.0.0.1:1", version: "t", startedAtMilliseconds: now,
                    heartbeatAtMilliseconds: now), liveSinceMilliseconds: now - 15_000)
            #expect(try await catalog.nodes().map(\.copyLeases) == [0])
            try await catalog.recordStaged((0..<3).map { Self.file(source.id, $0) })
            try await catalog.requestCopyRun(nowMilliseconds: now)
            _ = try await catalog.claimCopyWork(owner: "a", limit: 2, leaseMilliseconds: 60_000, nowMilliseconds: now)
            #expect(try await catalog.nodes().map(\.copyLeases) == [2])
        }
    }
}
