import Catalog
import PostgresNIO

/// Copy leases on PostgreSQL. Every call is one autocommitted statement (a short transaction of its own): a claim
/// locks its rows only while it runs, so nothing holds a snapshot across a copy.
extension PostgresCatalog: CopyWorkQueue {
    public func claimScheduledRun(slot: Int64) async throws(CatalogError) -> Bool {
        !(try await run(
            """
            INSERT INTO copy_state (name, value) VALUES ('last_scheduled_run', \(slot))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE copy_state.value < excluded.value
            RETURNING value
            """
        ).isEmpty)
    }

    public func requestCopyRun(nowMilliseconds now: Int64) async throws(CatalogError) -> Int {
        try await run(
            """
            INSERT INTO copy_work (destination_id, staged_key, size, ready_at)
            SELECT d.id, s.staged_key, s.size, \(now) FROM staged_files s
            JOIN destinations d ON d.source_id = s.source_id AND d.enabled
            WHERE NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.destination_id = d.id AND x.staged_key = s.staged_key)
            ON CONFLICT DO NOTHING
            """)
        try await run("UPDATE copy_work SET ready_at = \(now) WHERE ready_at IS NULL OR ready_at > \(now)")
        return try await copyWorkCounts(nowMilliseconds: now).due
    }

    public func claimCopyWork(owner: String, limit: Int, leaseMilliseconds: Int64, nowMilliseconds now: Int64)
        async throws(CatalogError) -> [CopyLease]
    {
        let rows = try await run(
            """
            WITH picked AS (
                SELECT w.destination_id, w.staged_key FROM copy_work w
                JOIN destinations d ON d.id = w.destination_id AND d.enabled
                WHERE w.ready_at <= \(now) AND w.lease_expires_at <= \(now)
                ORDER BY w.ready_at, w.staged_key LIMIT \(Int64(max(1, limit)))
                FOR UPDATE OF w SKIP LOCKED)
            UPDATE copy_work w SET owner = \(owner), lease_expires_at = \(now + leaseMilliseconds), epoch = w.epoch + 1
            FROM picked WHERE w.destination_id = picked.destination_id AND w.staged_key = picked.staged_key
            RETURNING w.destination_id, w.staged_key, w.size, w.epoch, w.lease_expires_at
            """)
        return try leases(rows, owner: owner).sorted {
            ($0.destinationID, $0.stagedKey) < ($1.destinationID, $1.stagedKey)
        }
    }

    public func renewCopyLeases(_ held: [CopyLease], leaseMilliseconds: Int64, nowMilliseconds now: Int64)
        async throws(CatalogError) -> [CopyLease]
    {
        guard let owner = held.first?.owner else { return [] }
        let rows = try await run(
            """
            UPDATE copy_work w SET lease_expires_at = \(now + leaseMilliseconds)
            FROM unnest(\(held.map(\.destinationID))::text[], \(held.map(\.stagedKey))::text[],
                \(held.map(\.epoch))::bigint[]) AS l(d, k, e)
            WHERE w.destination_id = l.d AND w.staged_key = l.k AND w.epoch = l.e AND w.owner = \(owner)
            RETURNING w.destination_id, w.staged_key, w.size, w.epoch, w.lease_expires_at
            """)
        return try leases(rows, owner: owner)
    }

    public func completeCopyWork(_ lease: CopyLease, delivery: DeliveryRecord) async throws(CatalogError) -> Bool {
        let rows = try await run(
            """
            WITH done AS (
                DELETE FROM copy_work WHERE destination_id = \(lease.destinationID)
                AND staged_key = \(lease.stagedKey) AND epoch = \(lease.epoch) AND owner = \(lease.owner)
                RETURNING destination_id, staged_key),
            recorded AS (
                INSERT INTO deliveries (destination_id, staged_key, size, etag, delivered_at)
                SELECT destination_id, staged_key, \(delivery.size), \(delivery.eTag)::text,
                \(delivery.deliveredAtMilliseconds) FROM done ON CONFLICT DO NOTHING)
            SELECT count(*) AS n FROM done
            """)
        return try rows.first.map { row throws(CatalogError) in try Self.int(row, "n") } ?? 0 > 0
    }

    public func releaseCopyWork(_ held: [CopyLease], retryAtMilliseconds: Int64) async throws(CatalogError) {
        guard let owner = held.first?.owner else { return }
        try await run(
            """
            UPDATE copy_work w SET owner = NULL, lease_expires_at = 0, ready_at = \(retryAtMilliseconds)
            FROM unnest(\(held.map(\.destinationID))::text[], \(held.map(\.stagedKey))::text[],
                \(held.map(\.epoch))::bigint[]) AS l(d, k, e)
            WHERE w.destination_id = l.d AND w.staged_key = l.k AND w.epoch = l.e AND w.owner = \(owner)
            """)
    }

    public func copyWorkCounts(nowMilliseconds now: Int64) async throws(CatalogError) -> (due: Int, total: Int) {
        guard
            let row = try await run(
                """
                SELECT count(*) FILTER (WHERE w.ready_at <= \(now)) AS due, count(*) AS total FROM copy_work w
                JOIN destinations d ON d.id = w.destination_id AND d.enabled
                """
            ).first
        else { return (0, 0) }
        return (Int(try Self.int(row, "due")), Int(try Self.int(row, "total")))
    }

    func leases(_ rows: [PostgresRandomAccessRow], owner: String) throws(CatalogError) -> [CopyLease] {
        var found: [CopyLease] = []
        for row in rows {
            found.append(
                CopyLease(
                    destinationID: try Self.string(row, "destination_id"),
                    stagedKey: try Self.string(row, "staged_key"),
                    size: try Self.int(row, "size"), owner: owner, epoch: try Self.int(row, "epoch"),
                    expiresAtMilliseconds: try Self.int(row, "lease_expires_at")))
        }
        return found
    }
}
