import Catalog
import SQLiteNIO

extension SQLiteCatalog: StagedFileLedger {
    public func recordStaged(_ file: StagedFile) async throws(CatalogError) {
        try await recordStaged([file])
    }

    /// One `BEGIN IMMEDIATE` transaction: each new row with the copy work of its source's enabled destinations (a
    /// row already there, from an upload before a crash, adds nothing).
    public func recordStaged(_ files: [StagedFile]) async throws(CatalogError) {
        guard !files.isEmpty else { return }
        try await transaction { connection throws(CatalogError) in
            for file in files {
                let inserted = try await run(
                    """
                    INSERT OR IGNORE INTO staged_files
                    (staged_key, source_id, received_day, size, checksum, writer, staged_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING staged_key
                    """,
                    [
                        .text(file.key), .text(file.sourceID), .integer(Int(file.receivedDayMilliseconds)),
                        .integer(Int(file.size)), file.checksum.map(SQLiteData.text) ?? .null, .text(file.writer),
                        .integer(Int(file.stagedAtMilliseconds)),
                    ], on: connection)
                guard !inserted.isEmpty else { continue }
                try await run(
                    """
                    INSERT OR IGNORE INTO copy_work (destination_id, staged_key, size)
                    SELECT id, ?, ? FROM destinations WHERE source_id = ? AND enabled
                    """, [.text(file.key), .integer(Int(file.size)), .text(file.sourceID)], on: connection)
            }
        }
    }

    public func stagedFiles(sourceID: String?) async throws(CatalogError) -> [StagedFile] {
        let rows = try await run(
            """
            SELECT staged_key, source_id, received_day, size, checksum, writer, staged_at FROM staged_files
            WHERE ?1 IS NULL OR source_id = ?1 ORDER BY staged_key
            """, [sourceID.map(SQLiteData.text) ?? .null])
        return rows.compactMap { row in
            guard let key = row.column("staged_key")?.string, let source = row.column("source_id")?.string,
                let day = row.column("received_day")?.integer, let size = row.column("size")?.integer,
                let writer = row.column("writer")?.string, let at = row.column("staged_at")?.integer
            else { return nil }
            return StagedFile(
                key: key, sourceID: source, receivedDayMilliseconds: Int64(day), size: Int64(size),
                checksum: row.column("checksum")?.string, writer: writer, stagedAtMilliseconds: Int64(at))
        }
    }

    public func forgetStaged(keys: [String]) async throws(CatalogError) {
        guard !keys.isEmpty else { return }
        try await transaction { connection throws(CatalogError) in
            for key in keys {
                // Copy work goes with the ledger row (ON DELETE CASCADE).
                try await run("DELETE FROM deliveries WHERE staged_key = ?", [.text(key)], on: connection)
                try await run("DELETE FROM staged_files WHERE staged_key = ?", [.text(key)], on: connection)
            }
        }
    }

    public func hasCompletedOnce(_ name: String) async throws(CatalogError) -> Bool {
        !(try await run("SELECT value FROM copy_state WHERE name = ?", [.text("once:" + name)]).isEmpty)
    }

    public func markCompletedOnce(_ name: String, atMilliseconds: Int64) async throws(CatalogError) {
        try await run(
            "INSERT OR IGNORE INTO copy_state (name, value) VALUES (?, ?)",
            [.text("once:" + name), .integer(Int(atMilliseconds))])
    }
}
