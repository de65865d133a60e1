import Catalog
import SQLiteNIO

extension SQLiteCatalog {
    public func renameSource(id: String, to name: String) async throws(CatalogError) -> Source {
        try Identifiers.validateName(name)
        guard try await run("SELECT id FROM sources WHERE id = ?", [.text(id)]).first != nil else {
            throw Self.noSource(id)
        }
        do throws(CatalogError) {
            try await run("UPDATE sources SET name = ? WHERE id = ?", [.text(name), .text(id)])
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "a source named '\(name)' already exists; pick another name")
        }
        guard
            let renamed = try await run(Self.sourceSelect + " WHERE s.id = ?", [.text(id)]).first.flatMap(
                Self.source(from:))
        else { throw Self.noSource(id) }
        return renamed
    }

    public func deleteSource(id: String) async throws(CatalogError) {
        guard try await run("SELECT id FROM sources WHERE id = ?", [.text(id)]).first != nil else {
            throw Self.noSource(id)
        }
        // Children first, explicitly: the ledger's cascade needs foreign keys on, which older databases may not be.
        let statements = [
            "DELETE FROM deliveries WHERE destination_id IN (SELECT id FROM destinations WHERE source_id = ?)",
            "DELETE FROM destination_state WHERE destination_id IN (SELECT id FROM destinations WHERE source_id = ?)",
            "DELETE FROM destinations WHERE source_id = ?",
            "DELETE FROM quarantine WHERE source_id = ?",
            "DELETE FROM write_keys WHERE source_id = ?",
            "DELETE FROM source_origins WHERE source_id = ?",
            "DELETE FROM sources WHERE id = ?",
        ]
        try await transaction { connection throws(CatalogError) in
            for sql in statements { try await run(sql, [.text(id)], on: connection) }
        }
    }

    static func noSource(_ id: String) -> CatalogError {
        CatalogError(.notFound, "no source with id '\(id.prefix(64))'; see `sluice sources list`")
    }
}
