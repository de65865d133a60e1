import Catalog
import PostgresNIO

extension PostgresCatalog: NodeRegistry {
    public func registerNode(_ node: NodeRecord, liveSinceMilliseconds: Int64) async throws(CatalogError) {
        let taken = try await run(
            """
            INSERT INTO nodes (id, instance, address, version, started_at, heartbeat_at, open_batches,
            spool_backlog_bytes, copy_leases) VALUES (\(node.id), \(node.instance), \(node.address), \(node.version),
            \(node.startedAtMilliseconds), \(node.heartbeatAtMilliseconds), \(Int64(node.openBatches)),
            \(node.spoolBacklogBytes), \(Int64(node.copyLeases)))
            ON CONFLICT (id) DO UPDATE SET instance = excluded.instance, address = excluded.address,
            version = excluded.version, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
            open_batches = excluded.open_batches, spool_backlog_bytes = excluded.spool_backlog_bytes,
            copy_leases = excluded.copy_leases
            WHERE nodes.instance = excluded.instance OR nodes.heartbeat_at < \(liveSinceMilliseconds)
            RETURNING id
            """)
        guard !taken.isEmpty else {
            throw CatalogError(
                .duplicateNode,
                "node id '\(node.id)' is already used by another live node (it sent a heartbeat in the last "
                    + "seconds); give this one another --node-id, or stop that node")
        }
    }

    public func heartbeat(_ node: NodeRecord) async throws(CatalogError) -> Bool {
        !(try await run(
            """
            UPDATE nodes SET address = \(node.address), heartbeat_at = \(node.heartbeatAtMilliseconds),
            open_batches = \(Int64(node.openBatches)), spool_backlog_bytes = \(node.spoolBacklogBytes),
            copy_leases = \(Int64(node.copyLeases)) WHERE id = \(node.id) AND instance = \(node.instance) RETURNING id
            """
        ).isEmpty)
    }

    public func nodes() async throws(CatalogError) -> [NodeRecord] {
        var found: [NodeRecord] = []
        for row in try await run(
            """
            SELECT id, instance, address, version, started_at, heartbeat_at, open_batches, spool_backlog_bytes,
            (SELECT count(*) FROM copy_work w WHERE w.owner = nodes.id
                AND w.lease_expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint) AS copy_leases
            FROM nodes ORDER BY id
            """)
        {
            found.append(
                NodeRecord(
                    id: try Self.string(row, "id"), instance: try Self.string(row, "instance"),
                    address: try Self.string(row, "address"), version: try Self.string(row, "version"),
                    startedAtMilliseconds: try Self.int(row, "started_at"),
                    heartbeatAtMilliseconds: try Self.int(row, "heartbeat_at"),
                    openBatches: Int(try Self.int(row, "open_batches")),
                    spoolBacklogBytes: try Self.int(row, "spool_backlog_bytes"),
                    copyLeases: Int(try Self.int(row, "copy_leases"))))
        }
        return found
    }

    public func deregisterNode(id: String, instance: String) async throws(CatalogError) {
        try await run("DELETE FROM nodes WHERE id = \(id) AND instance = \(instance)")
    }
}
