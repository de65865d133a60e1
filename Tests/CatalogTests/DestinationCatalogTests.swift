import Catalog
import CatalogSQLite
import Logging
import SluiceTesting
import Testing

@Suite struct DestinationCatalogTests {
    let logger = Logger(label: "test.catalog.destinations")

    func withCatalog(_ body: (SQLiteCatalog, String, Source) async throws -> Void) async throws {
        let dir = try TemporaryDirectory("catalog-destinations")
        defer { dir.remove() }
        let path = dir.path + "/catalog.sqlite"
        let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
        let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        do {
            try await body(catalog, path, source)
        } catch {
            await catalog.close()
            throw error
        }
        await catalog.close()
    }

    @Test func destinationsOfEveryKindRoundTripAndSurviveReopen() async throws {
        try await withCatalog { catalog, path, source in
            let kinds: [Destination] = [
                Destination(id: "d1", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 10),
                Destination(
                    id: "d2", sourceID: source.id, bucket: "bucket-two/pre", encryption: .bucketDefault,
                    access: .staticKeys(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "s3cr3t"),
                    endpoint: "http://127.0.0.1:9000", region: "eu-west-1", createdAtMilliseconds: 11),
                Destination(
                    id: "d3", sourceID: source.id, bucket: "bucket-three", encryption: .kms(keyID: "arn:aws:kms:k"),
                    access: .assumeRole(roleARN: "arn:aws:iam::1:role/r", externalID: "ext"), enabled: false,
                    createdAtMilliseconds: 12),
            ]
            for destination in kinds { try await catalog.createDestination(destination) }
            #expect(try await catalog.destinations() == kinds)
            let reopened = try await SQLiteCatalog.open(path: path, logger: logger)
            #expect(try await reopened.destination(id: "d2") == kinds[1])
            await reopened.close()
            #expect(
                DestinationAccess.staticKeys(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "s3cr3t").redacted.contains(
                    "s3cr3t") == false)
        }
    }

    @Test func duplicatesUnknownSourcesAndMissingIdsAreClearErrors() async throws {
        try await withCatalog { catalog, _, source in
            try await catalog.createDestination(
                Destination(id: "d1", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 1))
            await #expect(throws: CatalogError.self) {
                try await catalog.createDestination(
                    Destination(id: "d2", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 1))
            }
            await #expect(throws: CatalogError.self) {
                try await catalog.createDestination(
                    Destination(id: "d3", sourceID: "nosuchsource", bucket: "bucket-x", createdAtMilliseconds: 1))
            }
            await #expect(throws: CatalogError.self) { try await catalog.removeDestination(id: "nope") }
            await #expect(throws: CatalogError.self) {
                try await catalog.updateDestination(
                    Destination(id: "nope", sourceID: source.id, bucket: "b-b-b", createdAtMilliseconds: 1))
            }
        }
    }

    @Test func updatesKeepTheLedgerAndRemovalDropsIt() async throws {
        try await withCatalog { catalog, _, source in
            var destination = Destination(id: "d1", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 1)
            try await catalog.createDestination(destination)
            let record = DeliveryRecord(
                destinationID: "d1", stagedKey: "segment-logs/s/1/f.gz", size: 5, eTag: "e", deliveredAtMilliseconds: 2)
            try await catalog.recordDelivery(record)
            try await catalog.recordDelivery(record)  // idempotent
            destination.access = .assumeRole(roleARN: "arn:aws:iam::1:role/r", externalID: nil)
            destination.encryption = .bucketDefault
            destination.updatedAtMilliseconds = 3
            try await catalog.updateDestination(destination)
            #expect(try await catalog.destination(id: "d1") == destination)
            #expect(try await catalog.deliveredKeys(destinationID: "d1") == ["segment-logs/s/1/f.gz"])
            try await catalog.forgetDeliveries(stagedKeys: ["segment-logs/s/1/f.gz"])
            #expect(try await catalog.deliveredKeys(destinationID: "d1").isEmpty)
            try await catalog.recordDelivery(record)
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 5, error: nil)
            try await catalog.removeDestination(id: "d1")
            #expect(try await catalog.deliveredKeys(destinationID: "d1").isEmpty)
            #expect(try await catalog.destinationState(id: "d1") == nil)
        }
    }

    @Test func runStateCountsFailuresUntilASuccess() async throws {
        try await withCatalog { catalog, _, source in
            try await catalog.createDestination(
                Destination(id: "d1", sourceID: source.id, bucket: "bucket-one", createdAtMilliseconds: 1))
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 10, error: "denied")
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 20, error: "denied again")
            var state = try #require(try await catalog.destinationState(id: "d1"))
            #expect(
                state.consecutiveFailures == 2 && state.lastError == "denied again" && state.lastErrorMilliseconds == 20
            )
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 30, error: nil)
            state = try #require(try await catalog.destinationState(id: "d1"))
            #expect(
                state.consecutiveFailures == 0 && state.lastSuccessMilliseconds == 30
                    && state.lastError == "denied again")
            #expect(try await catalog.lastScheduledRun() == nil)
            try await catalog.setLastScheduledRun(42)
            try await catalog.setLastScheduledRun(43)
            #expect(try await catalog.lastScheduledRun() == 43)
        }
    }
}
