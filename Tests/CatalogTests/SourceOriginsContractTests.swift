import Catalog
import Testing

/// Per-source CORS allow-lists on every catalog implementation: stored, replaced, removed, gone with the source.
@Suite struct SourceOriginsContractTests {
    @Test(arguments: CatalogImplementation.allCases)
    func listsAreStoredReplacedAndRemoved(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let shop = try await catalog.createSource(name: "shop", writeKey: nil, nowMilliseconds: 1)
            let api = try await catalog.createSource(name: "api", writeKey: nil, nowMilliseconds: 2)
            #expect(try await catalog.sourceOrigins().isEmpty)
            try await catalog.setSourceOrigins(sourceID: shop.id, origins: ["https://a.example", "http://b:3000"])
            try await catalog.setSourceOrigins(sourceID: api.id, origins: ["*"])
            try await catalog.setSourceOrigins(sourceID: api.id, origins: ["https://c.example"])
            do throws(CatalogError) {
                try await catalog.setSourceOrigins(sourceID: "nosuchsource", origins: ["*"])
                Issue.record("unknown source accepted")
            } catch {
                #expect(error.code == .notFound)
            }
            let again = try await reopen()
            #expect(
                try await again.sourceOrigins() == [
                    shop.id: ["https://a.example", "http://b:3000"], api.id: ["https://c.example"],
                ])
            try await again.setSourceOrigins(sourceID: shop.id, origins: nil)
            try await again.deleteSource(id: api.id)
            #expect(try await again.sourceOrigins().isEmpty)
            await again.close()
        }
    }
}
