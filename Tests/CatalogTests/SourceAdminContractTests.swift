import Catalog
import Testing

/// Day-two source management on every catalog implementation: Segment ids kept, rename, delete.
@Suite struct SourceAdminContractTests {
    @Test(arguments: CatalogImplementation.allCases)
    func aSegmentSourceIDIsKeptAndADuplicateIDIsRefused(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let moved = try await catalog.createSource(
                id: "qwertyuiop", name: "web", writeKey: "segment-key-0001", nowMilliseconds: 1)
            let long = try await catalog.createSource(
                id: "2Ab3Cd4Ef5Gh6Ij7Kl8Mn9", name: "api", writeKey: nil, nowMilliseconds: 2)
            #expect(moved.id == "qwertyuiop" && long.id == "2Ab3Cd4Ef5Gh6Ij7Kl8Mn9")
            do throws(CatalogError) {
                _ = try await catalog.createSource(
                    id: "qwertyuiop", name: "other", writeKey: "other-key-0001", nowMilliseconds: 3)
                Issue.record("duplicate id accepted")
            } catch {
                #expect(error.code == .duplicate)
                #expect(error.message.contains("id 'qwertyuiop'"))
            }
            let again = try await reopen()
            #expect(try await again.sources() == [moved, long])
            #expect(try await again.source(writeKey: "other-key-0001") == nil)
            #expect(try await again.source(writeKey: "segment-key-0001") == moved)
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func idsOfOtherShapesAreRefused(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let before = try await catalog.sources()
            for id in ["short", "abcdefghijk", "abc-efghij", "abcdefghi/", "", "ééééé", "2Ab3Cd4Ef5Gh6Ij7Kl8Mn9x"] {
                do throws(CatalogError) {
                    _ = try await catalog.createSource(id: id, name: "web", writeKey: nil, nowMilliseconds: 0)
                    Issue.record("id \(id) accepted")
                } catch {
                    #expect(error.code == .invalidSourceID)
                }
            }
            #expect(try await catalog.sources() == before)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func renameKeepsIdAndKeysAndRefusesATakenName(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let web = try await catalog.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 1)
            let api = try await catalog.createSource(name: "api", writeKey: nil, nowMilliseconds: 2)
            let renamed = try await catalog.renameSource(id: web.id, to: "website")
            #expect(renamed == Source(id: web.id, name: "website", writeKey: web.writeKey, createdAtMilliseconds: 1))
            await #expect(throws: CatalogError.self) { try await catalog.renameSource(id: web.id, to: "api") }
            await #expect(throws: CatalogError.self) { try await catalog.renameSource(id: web.id, to: "bad/name") }
            await #expect(throws: CatalogError.self) { try await catalog.renameSource(id: "nosuchsrc1", to: "x") }
            let again = try await reopen()
            #expect(try await again.sources() == [renamed, api])
            #expect(try await again.source(writeKey: "web-key-00001")?.name == "website")
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func deleteRemovesKeysQuarantineAndDestinationsOnlyOfThatSource(_ implementation: CatalogImplementation)
        async throws
    {
        try await implementation.with { catalog, reopen in
            let web = try await catalog.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 1)
            let api = try await catalog.createSource(name: "api", writeKey: "api-key-00001", nowMilliseconds: 2)
            _ = try await catalog.addWriteKey(sourceID: web.id, key: "web-key-00002", nowMilliseconds: 3)
            for (id, source) in [("d-web", web.id), ("d-api", api.id)] {
                try await catalog.createDestination(
                    Destination(id: id, sourceID: source, bucket: "bucket-\(id)", createdAtMilliseconds: 4))
                try await catalog.recordDelivery(
                    DeliveryRecord(
                        destinationID: id, stagedKey: "staged/\(id)", size: 1, eTag: nil, deliveredAtMilliseconds: 5))
                try await catalog.recordRun(destinationID: id, atMilliseconds: 6, error: nil)
            }
            for source in [web.id, api.id] {
                try await catalog.quarantine([
                    QuarantinedEvent(
                        sourceID: source, receivedAtMilliseconds: 7, index: 0, code: "c", message: "m", raw: [1])
                ])
            }

            try await catalog.deleteSource(id: web.id)
            await #expect(throws: CatalogError.self) { try await catalog.deleteSource(id: web.id) }

            let again = try await reopen()
            #expect(try await again.sources() == [api])
            #expect(try await again.source(writeKey: "web-key-00001") == nil)
            #expect(try await again.source(writeKey: "web-key-00002") == nil)
            #expect(try await again.writeKeys(sourceID: web.id).isEmpty)
            #expect(try await again.quarantined(sourceID: web.id, limit: 10).isEmpty)
            #expect(try await again.destinations().map(\.id) == ["d-api"])
            #expect(try await again.deliveredKeys(destinationID: "d-web").isEmpty)
            #expect(try await again.destinationState(id: "d-web") == nil)
            #expect(try await again.deliveredKeys(destinationID: "d-api") == ["staged/d-api"])
            #expect(try await again.quarantined(sourceID: api.id, limit: 10).count == 1)
            // The name and keys are free again.
            let reborn = try await again.createSource(name: "web", writeKey: "web-key-00001", nowMilliseconds: 8)
            #expect(try await again.source(writeKey: "web-key-00001") == reborn)
            await again.close()
        }
    }
}
