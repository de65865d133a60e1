import SQLiteNIO

extension SQLiteCatalog {
    public func createSource(name: String, writeKey: String?, nowMilliseconds: Int64) async throws(CatalogError)
        -> Source
    {
        try Identifiers.validateName(name)
        if let writeKey { try Identifiers.validateWriteKey(writeKey) }
        let source = Source(
            id: Identifiers.newSourceID(), name: name, writeKey: writeKey ?? Identifiers.newWriteKey(),
            createdAtMilliseconds: nowMilliseconds)
        do {
            try await run(
                "INSERT INTO sources (id, name, write_key, created_at) VALUES (?, ?, ?, ?)",
                [
                    .text(source.id), .text(source.name), .text(source.writeKey),
                    .integer(Int(source.createdAtMilliseconds)),
                ])
        } catch  where error.code == .duplicate {
            throw CatalogError(
                .duplicate, "a source named '\(name)' or with that write key already exists; pick another name or key")
        }
        return source
    }

    public func sources() async throws(CatalogError) -> [Source] {
        try await run("SELECT id, name, write_key, created_at FROM sources ORDER BY created_at, name").compactMap(
            Self.source(from:))
    }

    public func source(writeKey: String) async throws(CatalogError) -> Source? {
        try await run("SELECT id, name, write_key, created_at FROM sources WHERE write_key = ?", [.text(writeKey)])
            .first.flatMap(Self.source(from:))
    }

    public func source(idOrName: String) async throws(CatalogError) -> Source? {
        try await run(
            "SELECT id, name, write_key, created_at FROM sources WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
            [.text(idOrName), .text(idOrName), .text(idOrName)]
        ).first.flatMap(Self.source(from:))
    }

    static func source(from row: SQLiteRow) -> Source? {
        guard let id = row.column("id")?.string, let name = row.column("name")?.string,
            let key = row.column("write_key")?.string, let created = row.column("created_at")?.integer
        else { return nil }
        return Source(id: id, name: name, writeKey: key, createdAtMilliseconds: Int64(created))
    }
}
