import Catalog
import Delivery
import Synchronization
import Testing

/// Retention decides on the destinations as they are when it runs, not as they were when the run started: a
/// destination added while a run copies is owed the old staged files too.
@Suite struct RetentionRaceTests {
    /// Adds a destination to the catalog the first time a bucket is asked for (a `destinations add` during the run).
    final class AddingConnector: DestinationConnector, Sendable {
        let inner: MemoryConnector
        let catalog: any DestinationCatalog
        let late: Destination
        let added = Mutex(false)

        init(inner: MemoryConnector, catalog: any DestinationCatalog, late: Destination) {
            self.inner = inner
            self.catalog = catalog
            self.late = late
        }

        func bucket(for target: DestinationTarget) async throws(DeliveryError) -> any DestinationBucket {
            if !added.withLock({ done in
                defer { done = true }; return done
            }) {
                try? await catalog.createDestination(late)
            }
            return try await inner.bucket(for: target)
        }
    }

    @Test func aDestinationAddedDuringARunKeepsTheFilesItLacks() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let late = Destination(
                id: Identifiers.newDestinationID(), sourceID: fixture.source.id, bucket: "bucket-late",
                createdAtMilliseconds: 2)
            let one = MemoryBucket()
            let copier = DestinationCopier(
                staging: fixture.staging, attempts: 1, backoff: .upload,
                sleep: { _ in }, now: { 1_800_000_000_000 }, logger: fixture.logger)
            let runner = CopyRunner(
                catalog: fixture.catalog, staging: fixture.staging,
                connector: AddingConnector(
                    inner: MemoryConnector(buckets: ["bucket-one": one]), catalog: fixture.catalog, late: late),
                copier: copier, retention: .days(1), logger: fixture.logger)
            let report = try await runner.run()
            #expect(report.deliveredFiles == 3)
            #expect(report.expired.isEmpty, "retention deleted files the late destination never received")
            #expect(try await fixture.staging.stagedObjects().count == 3)
        }
    }
}
