import Catalog
import Testing

/// Quarantine rows with ids, removal by id (scoped to the source) and retention, on every catalog implementation.
@Suite struct QuarantineAdminContractTests {
    @Test(arguments: CatalogImplementation.allCases)
    func rowsAreListedWithIdsAndRemovedByIdOrAge(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
            let api = try await catalog.createSource(name: "api", writeKey: nil, nowMilliseconds: 1)
            func event(_ source: Source, at time: Int64, _ n: Int) -> QuarantinedEvent {
                QuarantinedEvent(
                    sourceID: source.id, receivedAtMilliseconds: time, index: n, code: "missing_event", message: "m",
                    raw: Array(#"{"n":\#(n)}"#.utf8))
            }
            try await catalog.quarantine([event(web, at: 100, 0), event(web, at: 200, 1), event(web, at: 300, 2)])
            try await catalog.quarantine([event(api, at: 100, 9)])
            let all = try await catalog.quarantineEntries(
                sourceID: web.id, sinceMilliseconds: .min, limit: 10, newestFirst: false)
            #expect(all.map(\.event.index) == [0, 1, 2])
            let newest = try await catalog.quarantineEntries(
                sourceID: web.id, sinceMilliseconds: .min, limit: 2, newestFirst: true)
            #expect(newest.map(\.event.index) == [2, 1])
            let since = try await catalog.quarantineEntries(
                sourceID: web.id, sinceMilliseconds: 200, limit: 10, newestFirst: false)
            #expect(since.map(\.event.index) == [1, 2])

            let apiRow = try #require(
                try await catalog.quarantineEntries(
                    sourceID: api.id, sinceMilliseconds: .min, limit: 10, newestFirst: false
                ).first)
            // Another source's id is left alone.
            #expect(try await catalog.removeQuarantined(sourceID: web.id, ids: [all[0].id, apiRow.id]) == 1)
            #expect(try await catalog.removeQuarantined(sourceID: web.id, ids: [all[0].id]) == 0)
            #expect(try await catalog.removeQuarantined(receivedBefore: 250) == 2)  // web's 200 and api's 100
            let left = try await catalog.quarantineEntries(
                sourceID: web.id, sinceMilliseconds: .min, limit: 10, newestFirst: false)
            #expect(left.map(\.event.index) == [2])
            #expect(try await catalog.quarantined(sourceID: api.id, limit: 10).isEmpty)
        }
    }
}
