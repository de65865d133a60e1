import Catalog
import PostgresNIO

extension PostgresCatalog: QuarantineAdmin {
    public func quarantineEntries(sourceID: String, sinceMilliseconds: Int64, limit: Int, newestFirst: Bool)
        async throws(CatalogError) -> [QuarantineEntry]
    {
        let rows = try await run(
            """
            SELECT id, source_id, received_at, batch_index, code, message, raw FROM quarantine
            WHERE source_id = \(sourceID) AND received_at >= \(sinceMilliseconds)
            ORDER BY id \(unescaped: newestFirst ? "DESC" : "ASC") LIMIT \(Int64(limit))
            """)
        var entries: [QuarantineEntry] = []
        for row in rows {
            let raw = try Self.decode(row, "raw", as: ByteBuffer.self)
            entries.append(
                QuarantineEntry(
                    id: try Self.int(row, "id"),
                    event: QuarantinedEvent(
                        sourceID: try Self.string(row, "source_id"),
                        receivedAtMilliseconds: try Self.int(row, "received_at"),
                        index: Int(try Self.decode(row, "batch_index", as: Int32.self)),
                        code: try Self.string(row, "code"), message: try Self.string(row, "message"),
                        raw: Array(raw.readableBytesView))))
        }
        return entries
    }

    public func removeQuarantined(sourceID: String, ids: [Int64]) async throws(CatalogError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await run(
            "DELETE FROM quarantine WHERE source_id = \(sourceID) AND id = ANY(\(ids)) RETURNING id"
        ).count
    }

    public func removeQuarantined(receivedBefore beforeMilliseconds: Int64) async throws(CatalogError) -> Int {
        try await run("DELETE FROM quarantine WHERE received_at < \(beforeMilliseconds) RETURNING id").count
    }
}
