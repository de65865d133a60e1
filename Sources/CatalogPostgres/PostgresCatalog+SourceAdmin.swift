import Catalog
import PostgresNIO

extension PostgresCatalog {
    public func renameSource(id: String, to name: String) async throws(CatalogError) -> Source {
        try Identifiers.validateName(name)
        guard try await run("SELECT id FROM sources WHERE id = \(id)").first != nil else { throw Self.noSource(id) }
        do throws(CatalogError) {
            try await run("UPDATE sources SET name = \(name) WHERE id = \(id)")
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "a source named '\(name)' already exists; pick another name")
        }
        var query = PostgresQuery(unsafeSQL: Self.sourceSelect + " WHERE s.id = $1")
        query.binds.append(id)
        guard let renamed = try await sources(query).first else { throw Self.noSource(id) }
        return renamed
    }

    public func deleteSource(id: String) async throws(CatalogError) {
        guard try await run("SELECT id FROM sources WHERE id = \(id)").first != nil else { throw Self.noSource(id) }
        try await transaction { connection throws(CatalogError) in
            // deliveries and destination_state go with their destination (ON DELETE CASCADE).
            try await run("DELETE FROM destinations WHERE source_id = \(id)", on: connection)
            try await run("DELETE FROM quarantine WHERE source_id = \(id)", on: connection)
            try await run("DELETE FROM write_keys WHERE source_id = \(id)", on: connection)
            try await run("DELETE FROM source_origins WHERE source_id = \(id)", on: connection)
            try await run("DELETE FROM sources WHERE id = \(id)", on: connection)
        }
    }

    static func noSource(_ id: String) -> CatalogError {
        CatalogError(.notFound, "no source with id '\(id.prefix(64))'; see `sluice sources list`")
    }
}
