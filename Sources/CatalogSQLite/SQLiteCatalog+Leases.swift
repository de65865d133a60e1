import Catalog
import SQLiteNIO

/// Copy leases on SQLite, with the semantics of the PostgreSQL catalog: SQLite runs one writer at a time, so a
/// claim (one `UPDATE ... RETURNING` statement, its own write transaction) never hands a row to two callers, and
/// the multi-statement calls run in `BEGIN IMMEDIATE` transactions.
extension SQLiteCatalog: CopyWorkQueue {
    public func claimScheduledRun(slot: Int64) async throws(CatalogError) -> Bool {
        !(try await run(
            """
            INSERT INTO copy_state (name, value) VALUES ('last_scheduled_run', ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE copy_state.value < excluded.value
            RETURNING value
            """, [.integer(Int(slot))]
        ).isEmpty)
    }

    public func requestCopyRun(nowMilliseconds now: Int64) async throws(CatalogError) -> Int {
        let at = SQLiteData.integer(Int(now))
        try await transaction { connection throws(CatalogError) in
            try await run(
                """
                INSERT OR IGNORE INTO copy_work (destination_id, staged_key, size, ready_at)
                SELECT d.id, s.staged_key, s.size, ?1 FROM staged_files s
                JOIN destinations d ON d.source_id = s.source_id AND d.enabled
                WHERE NOT EXISTS (
                    SELECT 1 FROM deliveries x WHERE x.destination_id = d.id AND x.staged_key = s.staged_key)
                """, [at], on: connection)
            try await run(
                "UPDATE copy_work SET ready_at = ?1 WHERE ready_at IS NULL OR ready_at > ?1", [at], on: connection)
        }
        return try await copyWorkCounts(nowMilliseconds: now).due
    }

    public func claimCopyWork(owner: String, limit: Int, leaseMilliseconds: Int64, nowMilliseconds now: Int64)
        async throws(CatalogError) -> [CopyLease]
    {
        let rows = try await run(
            """
            UPDATE copy_work SET owner = ?1, lease_expires_at = ?2, epoch = epoch + 1
            WHERE rowid IN (
                SELECT w.rowid FROM copy_work w JOIN destinations d ON d.id = w.destination_id AND d.enabled
                WHERE w.ready_at <= ?3 AND w.lease_expires_at <= ?3
                ORDER BY w.ready_at, w.staged_key LIMIT ?4)
            RETURNING destination_id, staged_key, size, epoch, lease_expires_at
            """,
            [.text(owner), .integer(Int(now + leaseMilliseconds)), .integer(Int(now)), .integer(max(1, limit))])
        return Self.leases(rows, owner: owner).sorted {
            ($0.destinationID, $0.stagedKey) < ($1.destinationID, $1.stagedKey)
        }
    }

    public func renewCopyLeases(_ held: [CopyLease], leaseMilliseconds: Int64, nowMilliseconds now: Int64)
        async throws(CatalogError) -> [CopyLease]
    {
        guard !held.isEmpty else { return [] }
        let until = SQLiteData.integer(Int(now + leaseMilliseconds))
        return try await transaction { connection throws(CatalogError) in
            var renewed: [CopyLease] = []
            for lease in held {
                let rows = try await run(
                    """
                    UPDATE copy_work SET lease_expires_at = ?
                    WHERE destination_id = ? AND staged_key = ? AND epoch = ? AND owner = ?
                    RETURNING destination_id, staged_key, size, epoch, lease_expires_at
                    """, [until] + Self.fence(lease), on: connection)
                renewed += Self.leases(rows, owner: lease.owner)
            }
            return renewed
        }
    }

    public func completeCopyWork(_ lease: CopyLease, delivery: DeliveryRecord) async throws(CatalogError) -> Bool {
        try await transaction { connection throws(CatalogError) in
            let done = try await run(
                """
                DELETE FROM copy_work WHERE destination_id = ? AND staged_key = ? AND epoch = ? AND owner = ?
                RETURNING staged_key
                """, Self.fence(lease), on: connection)
            guard !done.isEmpty else { return false }
            try await run(
                """
                INSERT OR IGNORE INTO deliveries (destination_id, staged_key, size, etag, delivered_at)
                VALUES (?, ?, ?, ?, ?)
                """,
                [
                    .text(lease.destinationID), .text(lease.stagedKey), .integer(Int(delivery.size)),
                    delivery.eTag.map(SQLiteData.text) ?? .null, .integer(Int(delivery.deliveredAtMilliseconds)),
                ], on: connection)
            return true
        }
    }

    public func releaseCopyWork(_ held: [CopyLease], retryAtMilliseconds: Int64) async throws(CatalogError) {
        guard !held.isEmpty else { return }
        try await transaction { connection throws(CatalogError) in
            for lease in held {
                try await run(
                    """
                    UPDATE copy_work SET owner = NULL, lease_expires_at = 0, ready_at = ?
                    WHERE destination_id = ? AND staged_key = ? AND epoch = ? AND owner = ?
                    """, [.integer(Int(retryAtMilliseconds))] + Self.fence(lease), on: connection)
            }
        }
    }

    public func copyWorkCounts(nowMilliseconds now: Int64) async throws(CatalogError) -> (due: Int, total: Int) {
        let row = try await run(
            """
            SELECT count(*) FILTER (WHERE w.ready_at <= ?) AS due, count(*) AS total FROM copy_work w
            JOIN destinations d ON d.id = w.destination_id AND d.enabled
            """,
            [.integer(Int(now))]
        ).first
        return (row?.column("due")?.integer ?? 0, row?.column("total")?.integer ?? 0)
    }

    static func fence(_ lease: CopyLease) -> [SQLiteData] {
        [.text(lease.destinationID), .text(lease.stagedKey), .integer(Int(lease.epoch)), .text(lease.owner)]
    }

    static func leases(_ rows: [SQLiteRow], owner: String) -> [CopyLease] {
        rows.compactMap { row in
            guard let destination = row.column("destination_id")?.string, let key = row.column("staged_key")?.string,
                let size = row.column("size")?.integer, let epoch = row.column("epoch")?.integer,
                let expires = row.column("lease_expires_at")?.integer
            else { return nil }
            return CopyLease(
                destinationID: destination, stagedKey: key, size: Int64(size), owner: owner, epoch: Int64(epoch),
                expiresAtMilliseconds: Int64(expires))
        }
    }
}
