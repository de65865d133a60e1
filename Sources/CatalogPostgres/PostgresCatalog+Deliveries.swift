import Catalog
import PostgresNIO

extension PostgresCatalog {
    public func deliveredKeys(destinationID: String) async throws(CatalogError) -> Set<String> {
        var keys = Set<String>()
        for row in try await run("SELECT staged_key FROM deliveries WHERE destination_id = \(destinationID)") {
            keys.insert(try Self.string(row, "staged_key"))
        }
        return keys
    }

    public func recordDelivery(_ record: DeliveryRecord) async throws(CatalogError) {
        // ON CONFLICT DO NOTHING: a copy redone after a crash records the same row again harmlessly.
        try await run(
            """
            INSERT INTO deliveries (destination_id, staged_key, size, etag, delivered_at)
            VALUES (\(record.destinationID), \(record.stagedKey), \(record.size), \(record.eTag),
            \(record.deliveredAtMilliseconds)) ON CONFLICT DO NOTHING
            """)
    }

    public func deliveries(sinceMilliseconds: Int64, limit: Int) async throws(CatalogError) -> [DeliveryRecord] {
        var records: [DeliveryRecord] = []
        for row in try await run(
            """
            SELECT destination_id, staged_key, size, etag, delivered_at FROM deliveries
            WHERE delivered_at >= \(sinceMilliseconds) ORDER BY delivered_at DESC LIMIT \(Int64(max(0, limit)))
            """)
        {
            records.append(
                DeliveryRecord(
                    destinationID: try Self.string(row, "destination_id"), stagedKey: try Self.string(row, "staged_key"),
                    size: try Self.int(row, "size"), eTag: try Self.optionalString(row, "etag"),
                    deliveredAtMilliseconds: try Self.int(row, "delivered_at")))
        }
        return records
    }

    public func forgetDeliveries(stagedKeys: [String]) async throws(CatalogError) {
        guard !stagedKeys.isEmpty else { return }
        try await run("DELETE FROM deliveries WHERE staged_key = ANY(\(stagedKeys))")
    }

    public func destinationState(id: String) async throws(CatalogError) -> DestinationState? {
        guard
            let row = try await run(
                """
                SELECT last_success_at, last_attempt_at, last_error, last_error_at, consecutive_failures
                FROM destination_state WHERE destination_id = \(id)
                """
            ).first
        else { return nil }
        return DestinationState(
            destinationID: id, lastSuccessMilliseconds: try Self.optionalInt(row, "last_success_at"),
            lastAttemptMilliseconds: try Self.optionalInt(row, "last_attempt_at"),
            lastError: try Self.optionalString(row, "last_error"),
            lastErrorMilliseconds: try Self.optionalInt(row, "last_error_at"),
            consecutiveFailures: Int(try Self.decode(row, "consecutive_failures", as: Int32.self)))
    }

    public func recordRun(destinationID: String, atMilliseconds: Int64, error: String?) async throws(CatalogError) {
        if let error {
            try await run(
                """
                INSERT INTO destination_state (destination_id, last_attempt_at, last_error, last_error_at,
                consecutive_failures) VALUES (\(destinationID), \(atMilliseconds), \(error), \(atMilliseconds), 1)
                ON CONFLICT (destination_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
                last_error = excluded.last_error, last_error_at = excluded.last_error_at,
                consecutive_failures = destination_state.consecutive_failures + 1
                """)
        } else {
            try await run(
                """
                INSERT INTO destination_state (destination_id, last_success_at, last_attempt_at, consecutive_failures)
                VALUES (\(destinationID), \(atMilliseconds), \(atMilliseconds), 0)
                ON CONFLICT (destination_id) DO UPDATE SET last_success_at = excluded.last_success_at,
                last_attempt_at = excluded.last_attempt_at, consecutive_failures = 0
                """)
        }
    }

    public func lastScheduledRun() async throws(CatalogError) -> Int64? {
        guard let row = try await run("SELECT value FROM copy_state WHERE name = 'last_scheduled_run'").first else {
            return nil
        }
        return try Self.int(row, "value")
    }

    public func setLastScheduledRun(_ milliseconds: Int64) async throws(CatalogError) {
        try await run(
            """
            INSERT INTO copy_state (name, value) VALUES ('last_scheduled_run', \(milliseconds))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
    }
}
