import Catalog
import SQLiteNIO

extension SQLiteCatalog: NodeRegistry {
    static let nodeColumns = """
        id, instance, address, version, started_at, heartbeat_at, open_batches, spool_backlog_bytes, copy_leases
        """

    /// Copy leases are counted live from the work table (leases this machine's clock has not seen expire).
    static let nodeListColumns = """
        id, instance, address, version, started_at, heartbeat_at, open_batches, spool_backlog_bytes,
        (SELECT count(*) FROM copy_work w WHERE w.owner = nodes.id
        AND w.lease_expires_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS copy_leases
        """

    public func registerNode(_ node: NodeRecord, liveSinceMilliseconds: Int64) async throws(CatalogError) {
        let taken = try await run(
            """
            INSERT INTO nodes (\(Self.nodeColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET instance = excluded.instance, address = excluded.address,
            version = excluded.version, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
            open_batches = excluded.open_batches, spool_backlog_bytes = excluded.spool_backlog_bytes,
            copy_leases = excluded.copy_leases
            WHERE nodes.instance = excluded.instance OR nodes.heartbeat_at < ?
            RETURNING id
            """, Self.binds(node) + [.integer(Int(liveSinceMilliseconds))])
        guard !taken.isEmpty else { throw Self.nodeAlive(node.id) }
    }

    public func heartbeat(_ node: NodeRecord) async throws(CatalogError) -> Bool {
        !(try await run(
            """
            UPDATE nodes SET address = ?, heartbeat_at = ?, open_batches = ?, spool_backlog_bytes = ?, copy_leases = ?
            WHERE id = ? AND instance = ? RETURNING id
            """,
            [
                .text(node.address), .integer(Int(node.heartbeatAtMilliseconds)), .integer(node.openBatches),
                .integer(Int(node.spoolBacklogBytes)), .integer(node.copyLeases), .text(node.id), .text(node.instance),
            ]
        )
        .isEmpty)
    }

    public func nodes() async throws(CatalogError) -> [NodeRecord] {
        try await run("SELECT \(Self.nodeListColumns) FROM nodes ORDER BY id").compactMap { row in
            guard let id = row.column("id")?.string, let instance = row.column("instance")?.string,
                let address = row.column("address")?.string, let version = row.column("version")?.string,
                let started = row.column("started_at")?.integer, let beat = row.column("heartbeat_at")?.integer
            else { return nil }
            return NodeRecord(
                id: id, instance: instance, address: address, version: version,
                startedAtMilliseconds: Int64(started), heartbeatAtMilliseconds: Int64(beat),
                openBatches: row.column("open_batches")?.integer ?? 0,
                spoolBacklogBytes: Int64(row.column("spool_backlog_bytes")?.integer ?? 0),
                copyLeases: row.column("copy_leases")?.integer ?? 0)
        }
    }

    public func deregisterNode(id: String, instance: String) async throws(CatalogError) {
        try await run("DELETE FROM nodes WHERE id = ? AND instance = ?", [.text(id), .text(instance)])
    }

    static func binds(_ node: NodeRecord) -> [SQLiteData] {
        [
            .text(node.id), .text(node.instance), .text(node.address), .text(node.version),
            .integer(Int(node.startedAtMilliseconds)), .integer(Int(node.heartbeatAtMilliseconds)),
            .integer(node.openBatches), .integer(Int(node.spoolBacklogBytes)), .integer(node.copyLeases),
        ]
    }

    static func nodeAlive(_ id: String) -> CatalogError {
        CatalogError(
            .duplicateNode,
            "node id '\(id)' is already used by another live node (it sent a heartbeat in the last seconds); "
                + "give this one another --node-id, or stop that node")
    }
}
