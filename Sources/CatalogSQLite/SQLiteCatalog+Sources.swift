import Catalog
import SQLiteNIO

extension SQLiteCatalog {
    /// A source's columns with its oldest active key (empty when every key is revoked).
    static let sourceSelect = """
        SELECT s.id, s.name, s.created_at, COALESCE((SELECT k.key FROM write_keys k WHERE k.source_id = s.id
        AND k.revoked_at IS NULL ORDER BY k.created_at, k.key LIMIT 1), '') AS write_key FROM sources s
        """

    public func createSource(id: String?, name: String, writeKey: String?, nowMilliseconds: Int64)
        async throws(CatalogError) -> Source
    {
        if let id { try Identifiers.validateSegmentSourceID(id) }
        try Identifiers.validateName(name)
        if let writeKey { try Identifiers.validateWriteKey(writeKey) }
        let source = Source(
            id: id ?? Identifiers.newSourceID(), name: name, writeKey: writeKey ?? Identifiers.newWriteKey(),
            createdAtMilliseconds: nowMilliseconds)
        do throws(CatalogError) {
            try await transaction { connection throws(CatalogError) in
                try await run(
                    "INSERT INTO sources (id, name, created_at) VALUES (?, ?, ?)",
                    [.text(source.id), .text(source.name), .integer(Int(source.createdAtMilliseconds))],
                    on: connection)
                try await run(
                    "INSERT INTO write_keys (key, source_id, created_at) VALUES (?, ?, ?)",
                    [.text(source.writeKey), .text(source.id), .integer(Int(nowMilliseconds))], on: connection)
            }
        } catch  where error.code == .duplicate {
            throw await duplicateSourceError(id: id, name: name, writeKey: writeKey)
        }
        return source
    }

    public func sources() async throws(CatalogError) -> [Source] {
        try await run(Self.sourceSelect + " ORDER BY s.created_at, s.name").compactMap(Self.source(from:))
    }

    public func source(writeKey: String) async throws(CatalogError) -> Source? {
        try await run(
            Self.sourceSelect
                + " WHERE s.id = (SELECT source_id FROM write_keys WHERE key = ? AND revoked_at IS NULL)",
            [.text(writeKey)]
        ).first.flatMap(Self.source(from:))
    }

    public func source(idOrName: String) async throws(CatalogError) -> Source? {
        try await run(
            Self.sourceSelect + " WHERE s.id = ? OR s.name = ? ORDER BY s.id = ? DESC LIMIT 1",
            [.text(idOrName), .text(idOrName), .text(idOrName)]
        ).first.flatMap(Self.source(from:))
    }

    public func writeKeys(sourceID: String) async throws(CatalogError) -> [WriteKey] {
        try await run(
            "SELECT key, source_id, created_at, revoked_at FROM write_keys WHERE source_id = ? ORDER BY created_at, key",
            [.text(sourceID)]
        ).compactMap { row in
            guard let key = row.column("key")?.string, let source = row.column("source_id")?.string,
                let created = row.column("created_at")?.integer
            else { return nil }
            return WriteKey(
                key: key, sourceID: source, createdAtMilliseconds: Int64(created),
                revokedAtMilliseconds: row.column("revoked_at")?.integer.map(Int64.init))
        }
    }

    public func addWriteKey(sourceID: String, key: String?, nowMilliseconds: Int64) async throws(CatalogError)
        -> WriteKey
    {
        if let key { try Identifiers.validateWriteKey(key) }
        guard try await run("SELECT id FROM sources WHERE id = ?", [.text(sourceID)]).first != nil else {
            throw CatalogError(.notFound, "no source with id '\(sourceID.prefix(64))'; see `sluice sources list`")
        }
        let writeKey = WriteKey(
            key: key ?? Identifiers.newWriteKey(), sourceID: sourceID, createdAtMilliseconds: nowMilliseconds)
        do throws(CatalogError) {
            try await run(
                "INSERT INTO write_keys (key, source_id, created_at) VALUES (?, ?, ?)",
                [.text(writeKey.key), .text(sourceID), .integer(Int(nowMilliseconds))])
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "that write key is already in use; pick another")
        }
        return writeKey
    }

    public func revokeWriteKey(_ key: String, nowMilliseconds: Int64) async throws(CatalogError) {
        guard try await run("SELECT key FROM write_keys WHERE key = ?", [.text(key)]).first != nil else {
            throw CatalogError(.notFound, "no source has that write key")
        }
        try await run(
            "UPDATE write_keys SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL",
            [.integer(Int(nowMilliseconds)), .text(key)])
    }

    static func source(from row: SQLiteRow) -> Source? {
        guard let id = row.column("id")?.string, let name = row.column("name")?.string,
            let key = row.column("write_key")?.string, let created = row.column("created_at")?.integer
        else { return nil }
        return Source(id: id, name: name, writeKey: key, createdAtMilliseconds: Int64(created))
    }
}
