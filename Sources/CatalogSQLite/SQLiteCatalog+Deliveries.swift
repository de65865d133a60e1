import Catalog
import SQLiteNIO

extension SQLiteCatalog {
    public func deliveredKeys(destinationID: String) async throws(CatalogError) -> Set<String> {
        let rows = try await run("SELECT staged_key FROM deliveries WHERE destination_id = ?", [.text(destinationID)])
        return Set(rows.compactMap { $0.column("staged_key")?.string })
    }

    public func recordDelivery(_ record: DeliveryRecord) async throws(CatalogError) {
        // INSERT OR IGNORE: a copy redone after a crash records the same row again harmlessly.
        try await run(
            """
            INSERT OR IGNORE INTO deliveries (destination_id, staged_key, size, etag, delivered_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(record.destinationID), .text(record.stagedKey), .integer(Int(record.size)),
                record.eTag.map(SQLiteData.text) ?? .null, .integer(Int(record.deliveredAtMilliseconds)),
            ])
    }

    public func deliveries(sinceMilliseconds: Int64, limit: Int) async throws(CatalogError) -> [DeliveryRecord] {
        let rows = try await run(
            """
            SELECT destination_id, staged_key, size, etag, delivered_at FROM deliveries WHERE delivered_at >= ?
            ORDER BY delivered_at DESC LIMIT ?
            """, [.integer(Int(sinceMilliseconds)), .integer(max(0, limit))])
        return rows.compactMap { row in
            guard let destination = row.column("destination_id")?.string, let key = row.column("staged_key")?.string
            else { return nil }
            return DeliveryRecord(
                destinationID: destination, stagedKey: key, size: Int64(row.column("size")?.integer ?? 0),
                eTag: row.column("etag")?.string,
                deliveredAtMilliseconds: Int64(row.column("delivered_at")?.integer ?? 0))
        }
    }

    public func forgetDeliveries(stagedKeys: [String]) async throws(CatalogError) {
        for key in stagedKeys {
            try await run("DELETE FROM deliveries WHERE staged_key = ?", [.text(key)])
        }
    }

    public func destinationState(id: String) async throws(CatalogError) -> DestinationState? {
        guard
            let row = try await run(
                """
                SELECT last_success_at, last_attempt_at, last_error, last_error_at, consecutive_failures
                FROM destination_state WHERE destination_id = ?
                """, [.text(id)]
            ).first
        else { return nil }
        return DestinationState(
            destinationID: id, lastSuccessMilliseconds: row.column("last_success_at")?.integer.map(Int64.init),
            lastAttemptMilliseconds: row.column("last_attempt_at")?.integer.map(Int64.init),
            lastError: row.column("last_error")?.string,
            lastErrorMilliseconds: row.column("last_error_at")?.integer.map(Int64.init),
            consecutiveFailures: row.column("consecutive_failures")?.integer ?? 0)
    }

    public func recordRun(destinationID: String, atMilliseconds: Int64, error: String?) async throws(CatalogError) {
        let at = SQLiteData.integer(Int(atMilliseconds))
        if let error {
            try await run(
                """
                INSERT INTO destination_state (destination_id, last_attempt_at, last_error, last_error_at,
                consecutive_failures) VALUES (?, ?, ?, ?, 1)
                ON CONFLICT (destination_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
                last_error = excluded.last_error, last_error_at = excluded.last_error_at,
                consecutive_failures = consecutive_failures + 1
                """, [.text(destinationID), at, .text(error), at])
        } else {
            try await run(
                """
                INSERT INTO destination_state (destination_id, last_success_at, last_attempt_at, consecutive_failures)
                VALUES (?, ?, ?, 0)
                ON CONFLICT (destination_id) DO UPDATE SET last_success_at = excluded.last_success_at,
                last_attempt_at = excluded.last_attempt_at, consecutive_failures = 0
                """, [.text(destinationID), at, at])
        }
    }

    public func lastScheduledRun() async throws(CatalogError) -> Int64? {
        try await run("SELECT value FROM copy_state WHERE name = 'last_scheduled_run'")
            .first?.column("value")?.integer.map(Int64.init)
    }

    public func setLastScheduledRun(_ milliseconds: Int64) async throws(CatalogError) {
        try await run(
            """
            INSERT INTO copy_state (name, value) VALUES ('last_scheduled_run', ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, [.integer(Int(milliseconds))])
    }
}
