import Catalog
import SQLiteNIO

extension SQLiteCatalog: SourceOriginsCatalog {
    public func sourceOrigins() async throws(CatalogError) -> [String: [String]] {
        var lists: [String: [String]] = [:]
        for row in try await run("SELECT source_id, origins FROM source_origins") {
            guard let id = row.column("source_id")?.string, let origins = row.column("origins")?.string else {
                continue
            }
            lists[id] = origins.split(separator: "\n").map(String.init)
        }
        return lists
    }

    public func setSourceOrigins(sourceID: String, origins: [String]?) async throws(CatalogError) {
        try await transaction { connection throws(CatalogError) in
            guard try await run("SELECT id FROM sources WHERE id = ?", [.text(sourceID)], on: connection).first != nil
            else { throw Self.noSource(sourceID) }
            try await run("DELETE FROM source_origins WHERE source_id = ?", [.text(sourceID)], on: connection)
            if let origins {
                try await run(
                    "INSERT INTO source_origins (source_id, origins) VALUES (?, ?)",
                    [.text(sourceID), .text(origins.joined(separator: "\n"))], on: connection)
            }
        }
    }
}
