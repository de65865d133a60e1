import Catalog
import Delivery
import Testing

@Suite struct DestinationRegistryTests {
    func registry(_ fixture: StagedFixture, _ buckets: [String: MemoryBucket]) -> DestinationRegistry {
        DestinationRegistry(
            catalog: fixture.catalog,
            validator: DestinationValidator(connector: MemoryConnector(buckets: buckets)), now: { 5 })
    }

    @Test func addValidatesWithAWriteUnderSegmentLogsAndRefusesWhatTheBucketDenies() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            let bucket = MemoryBucket()
            let registry = registry(fixture, ["good-bucket": bucket, "denied-bucket": MemoryBucket()])
            let added = try await registry.add(sourceID: fixture.source.id, settings: .init(bucket: "good-bucket/pre"))
            #expect(added.encryption == .aes256 && added.enabled)
            // The validation object was written, then deleted.
            #expect(await bucket.objects.isEmpty)
            await #expect(throws: DeliveryError.self) {
                try await registry.add(sourceID: fixture.source.id, settings: .init(bucket: "missing-bucket"))
            }
            #expect(try await fixture.catalog.destinations().map(\.id) == [added.id])
            let status = try #require(try await registry.statuses().first)
            #expect(status.pendingFiles == 2 && status.deliveredFiles == 0)
            #expect(!status.json.contains("secret"))
        }
    }

    @Test func switchingKindsKeepsTheOldAccessWhenTheNewOneIsRefused() async throws {
        try await StagedFixture.with(files: 1) { fixture in
            let bucket = MemoryBucket()
            let registry = registry(fixture, ["good-bucket": bucket])
            let added = try await registry.add(sourceID: fixture.source.id, settings: .init(bucket: "good-bucket"))
            try await fixture.catalog.recordDelivery(
                DeliveryRecord(
                    destinationID: added.id, stagedKey: fixture.keys[0], size: 1, eTag: nil, deliveredAtMilliseconds: 1)
            )
            let role = DestinationAccess.assumeRole(
                roleARN: "arn:aws:iam::123456789012:role/sluice", externalID: "ws-1")
            // The role is not set up yet: the validation write fails and nothing changes.
            await bucket.fail(with: DeliveryError(.accessDenied, "AccessDenied"))
            await #expect(throws: DeliveryError.self) {
                try await registry.update(id: added.id, settings: .init(access: role))
            }
            #expect(try await fixture.catalog.destination(id: added.id)?.access == .defaultChain)
            // Once it is, the switch happens in place and the ledger is kept: nothing is copied again.
            await bucket.fail(with: nil)
            let switched = try await registry.update(id: added.id, settings: .init(access: role))
            #expect(switched.access == role)
            #expect(try await fixture.catalog.deliveredKeys(destinationID: added.id) == [fixture.keys[0]])
            // Disable needs no validation; enable does.
            _ = try await registry.setEnabled(id: added.id, false)
            await bucket.fail(with: DeliveryError(.accessDenied, "AccessDenied"))
            await #expect(throws: DeliveryError.self) { try await registry.setEnabled(id: added.id, true) }
            #expect(try await fixture.catalog.destination(id: added.id)?.enabled == false)
        }
    }

    @Test(arguments: [
        DestinationSettings(bucket: "b-b-b", endpoint: "ftp://x"),
        DestinationSettings(bucket: "b-b-b", region: "eu west"),
        DestinationSettings(bucket: "b-b-b", access: .assumeRole(roleARN: "role/x", externalID: nil)),
        DestinationSettings(bucket: "b-b-b", access: .staticKeys(accessKeyID: "", secretAccessKey: "s")),
        DestinationSettings(bucket: "b-b-b", encryption: .kms(keyID: "")),
    ])
    func invalidSettingsAreRefusedBeforeAnyWrite(settings: DestinationSettings) async throws {
        try await StagedFixture.with(files: 0) { fixture in
            await #expect(throws: DeliveryError.self) {
                try await registry(fixture, [:]).add(sourceID: fixture.source.id, settings: settings, validate: false)
            }
        }
    }

    @Test func sseSettingsParse() throws {
        #expect(try DestinationSettings.encryption("aes256") == .aes256)
        #expect(try DestinationSettings.encryption("off") == .bucketDefault)
        #expect(try DestinationSettings.encryption("kms:arn:aws:kms:k") == .kms(keyID: "arn:aws:kms:k"))
        #expect(throws: DeliveryError.self) { try DestinationSettings.encryption("AES999") }
    }
}
