import Catalog
import SQLiteNIO

extension SQLiteCatalog: QuarantineAdmin {
    public func quarantineEntries(sourceID: String, sinceMilliseconds: Int64, limit: Int, newestFirst: Bool)
        async throws(CatalogError) -> [QuarantineEntry]
    {
        try await run(
            """
            SELECT id, source_id, received_at, batch_index, code, message, raw FROM quarantine
            WHERE source_id = ? AND received_at >= ? ORDER BY id \(newestFirst ? "DESC" : "ASC") LIMIT ?
            """,
            [.text(sourceID), .integer(Int(sinceMilliseconds)), .integer(limit)]
        ).compactMap { row in
            guard let id = row.column("id")?.integer, let source = row.column("source_id")?.string,
                let received = row.column("received_at")?.integer, let index = row.column("batch_index")?.integer,
                let code = row.column("code")?.string, let message = row.column("message")?.string
            else { return nil }
            var raw: [UInt8] = []
            if case .blob(let buffer)? = row.column("raw") { raw = Array(buffer.readableBytesView) }
            return QuarantineEntry(
                id: Int64(id),
                event: QuarantinedEvent(
                    sourceID: source, receivedAtMilliseconds: Int64(received), index: index, code: code,
                    message: message, raw: raw))
        }
    }

    public func removeQuarantined(sourceID: String, ids: [Int64]) async throws(CatalogError) -> Int {
        guard !ids.isEmpty else { return 0 }
        var removed = 0
        // Bounded statements: SQLite limits the number of bound parameters.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            removed += try await run(
                "DELETE FROM quarantine WHERE source_id = ? AND id IN (\(marks)) RETURNING id",
                [.text(sourceID)] + chunk.map { .integer(Int($0)) }
            ).count
        }
        return removed
    }

    public func removeQuarantined(receivedBefore beforeMilliseconds: Int64) async throws(CatalogError) -> Int {
        try await run(
            "DELETE FROM quarantine WHERE received_at < ? RETURNING id", [.integer(Int(beforeMilliseconds))]
        ).count
    }
}
