import Catalog
import PostgresNIO

extension PostgresCatalog {
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
                    "INSERT INTO sources (id, name, created_at) VALUES (\(source.id), \(source.name), \(nowMilliseconds))",
                    on: connection)
                try await run(
                    """
                    INSERT INTO write_keys (key, source_id, created_at)
                    VALUES (\(source.writeKey), \(source.id), \(nowMilliseconds))
                    """, on: connection)
            }
        } catch  where error.code == .duplicate {
            throw await duplicateSourceError(id: id, name: name, writeKey: writeKey)
        }
        return source
    }

    public func sources() async throws(CatalogError) -> [Source] {
        try await sources(PostgresQuery(unsafeSQL: Self.sourceSelect + " ORDER BY s.created_at, s.name"))
    }

    public func source(writeKey: String) async throws(CatalogError) -> Source? {
        var query = PostgresQuery(
            unsafeSQL: Self.sourceSelect
                + " WHERE s.id = (SELECT source_id FROM write_keys WHERE key = $1 AND revoked_at IS NULL)")
        query.binds.append(writeKey)
        return try await sources(query).first
    }

    public func source(idOrName: String) async throws(CatalogError) -> Source? {
        var query = PostgresQuery(
            unsafeSQL: Self.sourceSelect + " WHERE s.id = $1 OR s.name = $1 ORDER BY (s.id = $1) DESC LIMIT 1")
        query.binds.append(idOrName)
        return try await sources(query).first
    }

    func sources(_ query: PostgresQuery) async throws(CatalogError) -> [Source] {
        var found: [Source] = []
        for row in try await run(query) {
            found.append(
                Source(
                    id: try Self.string(row, "id"), name: try Self.string(row, "name"),
                    writeKey: try Self.string(row, "write_key"), createdAtMilliseconds: try Self.int(row, "created_at"))
            )
        }
        return found
    }

    public func writeKeys(sourceID: String) async throws(CatalogError) -> [WriteKey] {
        var keys: [WriteKey] = []
        let rows = try await run(
            """
            SELECT key, source_id, created_at, revoked_at FROM write_keys WHERE source_id = \(sourceID)
            ORDER BY created_at, key
            """)
        for row in rows {
            keys.append(
                WriteKey(
                    key: try Self.string(row, "key"), sourceID: try Self.string(row, "source_id"),
                    createdAtMilliseconds: try Self.int(row, "created_at"),
                    revokedAtMilliseconds: try Self.optionalInt(row, "revoked_at")))
        }
        return keys
    }

    public func addWriteKey(sourceID: String, key: String?, nowMilliseconds: Int64) async throws(CatalogError)
        -> WriteKey
    {
        if let key { try Identifiers.validateWriteKey(key) }
        guard try await run("SELECT id FROM sources WHERE id = \(sourceID)").first != nil else {
            throw CatalogError(.notFound, "no source with id '\(sourceID.prefix(64))'; see `sluice sources list`")
        }
        let writeKey = WriteKey(
            key: key ?? Identifiers.newWriteKey(), sourceID: sourceID, createdAtMilliseconds: nowMilliseconds)
        do throws(CatalogError) {
            try await run(
                """
                INSERT INTO write_keys (key, source_id, created_at) VALUES (\(writeKey.key), \(sourceID),
                \(nowMilliseconds))
                """)
        } catch  where error.code == .duplicate {
            throw CatalogError(.duplicate, "that write key is already in use; pick another")
        }
        return writeKey
    }

    public func revokeWriteKey(_ key: String, nowMilliseconds: Int64) async throws(CatalogError) {
        guard try await run("SELECT key FROM write_keys WHERE key = \(key)").first != nil else {
            throw CatalogError(.notFound, "no source has that write key")
        }
        try await run(
            "UPDATE write_keys SET revoked_at = \(nowMilliseconds) WHERE key = \(key) AND revoked_at IS NULL")
    }

    public func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError) {
        guard !events.isEmpty else { return }
        // One multi-row INSERT is one atomic, durable commit.
        var query = PostgresQuery(
            unsafeSQL: "INSERT INTO quarantine (source_id, received_at, batch_index, code, message, raw) VALUES ")
        for (n, event) in events.enumerated() {
            let base = n * 6
            query.sql +=
                (n == 0 ? "" : ", ")
                + "($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6))"
            query.binds.append(event.sourceID)
            query.binds.append(event.receivedAtMilliseconds)
            query.binds.append(Int32(clamping: event.index))
            query.binds.append(event.code)
            query.binds.append(event.message)
            query.binds.append(ByteBuffer(bytes: event.raw))
        }
        try await run(query)
    }

    public func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent] {
        let rows = try await run(
            """
            SELECT source_id, received_at, batch_index, code, message, raw FROM quarantine
            WHERE source_id = \(sourceID) ORDER BY id DESC LIMIT \(Int64(limit))
            """)
        var events: [QuarantinedEvent] = []
        for row in rows {
            let raw = try Self.decode(row, "raw", as: ByteBuffer.self)
            events.append(
                QuarantinedEvent(
                    sourceID: try Self.string(row, "source_id"),
                    receivedAtMilliseconds: try Self.int(row, "received_at"),
                    index: Int(try Self.decode(row, "batch_index", as: Int32.self)), code: try Self.string(row, "code"),
                    message: try Self.string(row, "message"), raw: Array(raw.readableBytesView)))
        }
        return events
    }
}
