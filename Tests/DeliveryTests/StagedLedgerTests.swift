import Catalog
import Delivery
import Foundation
import Storage
import Synchronization
import Testing

/// The staged-file ledger as the pipeline and the copy use it: recorded after the upload, before the put returns;
/// a failed ledger write fails the put and its retry records without a second upload; files staged before the
/// ledger existed are backfilled from a listing and copied.
@Suite struct StagedLedgerTests {
    /// The real catalog's ledger behind a switch that makes it fail, as a PostgreSQL outage would.
    final class SwitchableLedger: StagedFileLedger {
        let inner: any StagedFileLedger
        let down = Mutex(false)
        init(_ inner: any StagedFileLedger) { self.inner = inner }

        func check() throws(CatalogError) {
            if down.withLock({ $0 }) { throw CatalogError(.unavailable, "the catalog is down") }
        }
        func recordStaged(_ file: StagedFile) async throws(CatalogError) {
            try check()
            try await inner.recordStaged(file)
        }
        func recordStaged(_ files: [StagedFile]) async throws(CatalogError) {
            try check()
            try await inner.recordStaged(files)
        }
        func stagedFiles(sourceID: String?) async throws(CatalogError) -> [StagedFile] {
            try await inner.stagedFiles(sourceID: sourceID)
        }
        func forgetStaged(keys: [String]) async throws(CatalogError) { try await inner.forgetStaged(keys: keys) }
        func hasCompletedOnce(_ name: String) async throws(CatalogError) -> Bool {
            try await inner.hasCompletedOnce(name)
        }
        func markCompletedOnce(_ name: String, atMilliseconds: Int64) async throws(CatalogError) {
            try await inner.markCompletedOnce(name, atMilliseconds: atMilliseconds)
        }
    }

    @Test func aFailedLedgerWriteFailsThePutAndTheRetryRecordsOnceWithoutTheFile() async throws {
        try await StagedFixture.with(files: 0) { fixture in
            let ledger = SwitchableLedger(fixture.catalog)
            let store = LedgerStagingStore(fixture.staging, ledger: ledger, now: { 77 })
            let name = "1700000000001.aabbccddeeff.dev.\(UUID().uuidString.lowercased()).gz"
            let key = "segment-logs/\(fixture.source.id)/1700006400000/" + name
            let path = fixture.dir.path + "/closed.gz"
            try Data("gzip bytes".utf8).write(to: URL(fileURLWithPath: path))
            let md5 = try Files.md5(path).map { String(format: "%02x", $0) }.joined()
            ledger.down.withLock { $0 = true }
            await #expect(throws: ArchiveStoreError.self) {
                try await store.put(file: path, key: key, metadata: .segmentBatch)
            }
            #expect(try await fixture.staging.exists(key: key), "uploaded before the ledger write")
            #expect(try await fixture.catalog.stagedFiles(sourceID: nil).isEmpty)
            // The pipeline retries the same put; the file has moved into the store by now.
            ledger.down.withLock { $0 = false }
            try await store.put(file: path, key: key, metadata: .segmentBatch)
            try await store.put(file: path, key: key, metadata: .segmentBatch)
            let rows = try await fixture.catalog.stagedFiles(sourceID: fixture.source.id)
            #expect(rows.count == 1)
            #expect(rows.first?.size == 10 && rows.first?.writer == "aabbccddeeff")
            #expect(rows.first?.checksum == md5 && rows.first?.stagedAtMilliseconds == 77)
        }
    }

    @Test func filesStagedBeforeTheLedgerAreBackfilledOnceAndCopied() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            // A data directory from before the ledger: its staged files have no rows.
            try await fixture.catalog.forgetStaged(keys: fixture.keys)
            #expect(try await fixture.catalog.stagedFiles(sourceID: nil).isEmpty)
            let bucket = MemoryBucket()
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 2)
            #expect(try await fixture.catalog.stagedFiles(sourceID: nil).map(\.key) == fixture.keys.sorted())
            #expect(try await fixture.catalog.hasCompletedOnce(StagingBackfill.onceName))
            // Once done, the copy plans from the ledger only: a file without a row is not copied by a run...
            var more = fixture
            try await more.stage(2)
            try await fixture.catalog.forgetStaged(keys: [more.keys[2]])
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 0)
            // ...until a node start brings the ledger level with the store again.
            #expect(
                try await StagingBackfill(
                    ledger: fixture.catalog, staging: fixture.staging, now: { 1 }, logger: fixture.logger
                ).run() == 1)
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 1)
        }
    }

    @Test func aLedgerRowWhoseFileIsGoneIsDroppedWithoutFailingTheDestination() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            let destination = try await fixture.addDestination("bucket-one")
            try FileManager.default.removeItem(atPath: fixture.dir.path + "/bucket/" + fixture.keys[0])
            let report = try await fixture.runner(["bucket-one": MemoryBucket()]).run()
            #expect(report.deliveredFiles == 1 && report.failed.isEmpty)
            #expect(try await fixture.catalog.stagedFiles(sourceID: nil).map(\.key) == [fixture.keys[1]])
            #expect(try await fixture.catalog.destinationState(id: destination.id)?.consecutiveFailures == 0)
        }
    }
}
