import Catalog
import PostgresNIO

extension PostgresCatalog: SourceOriginsCatalog {
    public func sourceOrigins() async throws(CatalogError) -> [String: [String]] {
        var lists: [String: [String]] = [:]
        for row in try await run("SELECT source_id, origins FROM source_origins") {
            lists[try Self.string(row, "source_id")] = try Self.string(row, "origins").split(separator: "\n")
                .map(String.init)
        }
        return lists
    }

    public func setSourceOrigins(sourceID: String, origins: [String]?) async throws(CatalogError) {
        try await transaction { connection throws(CatalogError) in
            guard try await run("SELECT id FROM sources WHERE id = \(sourceID)", on: connection).first != nil else {
                throw Self.noSource(sourceID)
            }
            try await run("DELETE FROM source_origins WHERE source_id = \(sourceID)", on: connection)
            if let origins {
                let joined = origins.joined(separator: "\n")
                try await run(
                    "INSERT INTO source_origins (source_id, origins) VALUES (\(sourceID), \(joined))", on: connection)
            }
        }
    }
}
