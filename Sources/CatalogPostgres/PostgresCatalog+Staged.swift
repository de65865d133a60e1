import Catalog
import PostgresNIO

extension PostgresCatalog: StagedFileLedger {
    public func recordStaged(_ file: StagedFile) async throws(CatalogError) {
        try await recordStaged([file])
    }

    /// One statement per 1,000 files: the rows go in with `unnest`, and the copy work of the rows that were new is
    /// created in the same statement (a row already there, from an upload before a crash, adds nothing).
    public func recordStaged(_ files: [StagedFile]) async throws(CatalogError) {
        var start = 0
        while start < files.count {
            let chunk = files[start..<min(files.count, start + 1000)]
            start += chunk.count
            let keys = chunk.map(\.key)
            let sources = chunk.map(\.sourceID)
            let days = chunk.map(\.receivedDayMilliseconds)
            let sizes = chunk.map(\.size)
            let checksums = chunk.map { $0.checksum ?? "" }
            let writers = chunk.map(\.writer)
            let times = chunk.map(\.stagedAtMilliseconds)
            try await run(
                """
                WITH new AS (
                    INSERT INTO staged_files (staged_key, source_id, received_day, size, checksum, writer, staged_at)
                    SELECT k, s, d, z, NULLIF(c, ''), w, t
                    FROM unnest(\(keys)::text[], \(sources)::text[], \(days)::bigint[], \(sizes)::bigint[],
                        \(checksums)::text[], \(writers)::text[], \(times)::bigint[]) AS f(k, s, d, z, c, w, t)
                    ON CONFLICT DO NOTHING RETURNING staged_key, source_id, size)
                INSERT INTO copy_work (destination_id, staged_key, size)
                SELECT d.id, new.staged_key, new.size FROM new JOIN destinations d ON d.source_id = new.source_id
                WHERE d.enabled ON CONFLICT DO NOTHING
                """)
        }
    }

    public func stagedFiles(sourceID: String?) async throws(CatalogError) -> [StagedFile] {
        let rows = try await run(
            """
            SELECT staged_key, source_id, received_day, size, checksum, writer, staged_at FROM staged_files
            WHERE \(sourceID)::text IS NULL OR source_id = \(sourceID) ORDER BY staged_key
            """)
        var files: [StagedFile] = []
        for row in rows {
            files.append(
                StagedFile(
                    key: try Self.string(row, "staged_key"), sourceID: try Self.string(row, "source_id"),
                    receivedDayMilliseconds: try Self.int(row, "received_day"), size: try Self.int(row, "size"),
                    checksum: try Self.optionalString(row, "checksum"), writer: try Self.string(row, "writer"),
                    stagedAtMilliseconds: try Self.int(row, "staged_at")))
        }
        return files
    }

    public func forgetStaged(keys: [String]) async throws(CatalogError) {
        guard !keys.isEmpty else { return }
        // Copy work goes with the ledger rows (ON DELETE CASCADE).
        try await run(
            """
            WITH gone AS (DELETE FROM deliveries WHERE staged_key = ANY(\(keys)))
            DELETE FROM staged_files WHERE staged_key = ANY(\(keys))
            """)
    }

    public func hasCompletedOnce(_ name: String) async throws(CatalogError) -> Bool {
        !(try await run("SELECT value FROM copy_state WHERE name = \("once:" + name)").isEmpty)
    }

    public func markCompletedOnce(_ name: String, atMilliseconds: Int64) async throws(CatalogError) {
        try await run(
            """
            INSERT INTO copy_state (name, value) VALUES (\("once:" + name), \(atMilliseconds))
            ON CONFLICT (name) DO NOTHING
            """)
    }
}
