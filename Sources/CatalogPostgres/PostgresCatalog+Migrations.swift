import Catalog
import PostgresNIO

extension PostgresCatalog {
    /// The schema, one step per version, recorded in `sluice_schema`. Steps are only ever appended. Times are epoch
    /// milliseconds (BIGINT), as in the embedded catalog.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE sources (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE write_keys (
                key TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), created_at BIGINT NOT NULL,
                revoked_at BIGINT)
            """,
            "CREATE INDEX write_keys_source ON write_keys(source_id, created_at)",
            """
            CREATE TABLE quarantine (
                id BIGSERIAL PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id),
                received_at BIGINT NOT NULL, batch_index INTEGER NOT NULL, code TEXT NOT NULL,
                message TEXT NOT NULL, raw BYTEA NOT NULL)
            """,
            "CREATE INDEX quarantine_source ON quarantine(source_id, id)",
            """
            CREATE TABLE destinations (
                id TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), bucket TEXT NOT NULL,
                encryption TEXT NOT NULL, access_kind TEXT NOT NULL, access_key_id TEXT, secret_access_key TEXT,
                role_arn TEXT, external_id TEXT, endpoint TEXT NOT NULL DEFAULT '', region TEXT,
                enabled BOOLEAN NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                UNIQUE (source_id, bucket, endpoint))
            """,
            """
            CREATE TABLE deliveries (
                destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
                staged_key TEXT NOT NULL, size BIGINT NOT NULL, etag TEXT, delivered_at BIGINT NOT NULL,
                PRIMARY KEY (destination_id, staged_key))
            """,
            "CREATE INDEX deliveries_staged_key ON deliveries(staged_key)",
            """
            CREATE TABLE destination_state (
                destination_id TEXT PRIMARY KEY REFERENCES destinations(id) ON DELETE CASCADE,
                last_success_at BIGINT, last_attempt_at BIGINT, last_error TEXT, last_error_at BIGINT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE TABLE copy_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        ],
        // 2: the node registry (one small row per node, updated in place by heartbeats).
        [
            """
            CREATE TABLE nodes (
                id TEXT PRIMARY KEY, instance TEXT NOT NULL, address TEXT NOT NULL, version TEXT NOT NULL,
                started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, open_batches BIGINT NOT NULL,
                spool_backlog_bytes BIGINT NOT NULL, copy_leases BIGINT NOT NULL)
            """
        ],
        // 3 (issue 15): the staged-file ledger and copy as leased work. `copy_work` is the churning table: claims and
        // renewals rewrite owner, lease and epoch only (no indexed column), so with free space on each page
        // (fillfactor 70) they are HOT updates; a completed row is deleted, so the table holds the backlog only.
        [
            """
            CREATE TABLE staged_files (
                staged_key TEXT PRIMARY KEY, source_id TEXT NOT NULL, received_day BIGINT NOT NULL,
                size BIGINT NOT NULL, checksum TEXT, writer TEXT NOT NULL, staged_at BIGINT NOT NULL)
            """,
            "CREATE INDEX staged_files_source ON staged_files(source_id, staged_key)",
            """
            CREATE TABLE copy_work (
                destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
                staged_key TEXT NOT NULL REFERENCES staged_files(staged_key) ON DELETE CASCADE,
                size BIGINT NOT NULL, ready_at BIGINT, owner TEXT, lease_expires_at BIGINT NOT NULL DEFAULT 0,
                epoch BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (destination_id, staged_key)) WITH (fillfactor = 70)
            """,
            "CREATE INDEX copy_work_due ON copy_work(ready_at) WHERE ready_at IS NOT NULL",
            "CREATE INDEX copy_work_staged ON copy_work(staged_key)",
        ],
        // 4 (issue 18): messageIds accepted by any node within the de-duplication window (rows past it deleted in
        // batches).
        [
            "CREATE TABLE message_ids (message_id TEXT PRIMARY KEY, received_at BIGINT NOT NULL)",
            "CREATE INDEX message_ids_received_at ON message_ids (received_at)",
        ],
        // 5 (issue 20): per-source CORS allow-lists (origins separated by newlines).
        ["CREATE TABLE source_origins (source_id TEXT PRIMARY KEY REFERENCES sources(id), origins TEXT NOT NULL)"],
        // 6 (issue 19): console users with a slow salted password hash (never the password).
        ["CREATE TABLE console_users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL)"],
    ]

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { migrations.count }

    /// An arbitrary constant naming Sluice's schema lock among the database's advisory locks.
    static let migrationLock: Int64 = 0x736C_7569_6365_0001

    /// Applies the missing steps in one transaction holding a transaction-scoped advisory lock: a second node
    /// starting at the same moment waits, then finds the schema current. The version check happens under the lock.
    func migrate() async throws(CatalogError) {
        try await transaction { connection throws(CatalogError) in
            try await run("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", on: connection)
            try await run("CREATE TABLE IF NOT EXISTS sluice_schema (version INTEGER NOT NULL)", on: connection)
            let rows = try await run("SELECT max(version) AS version FROM sluice_schema", on: connection)
            let current = try rows.first.map { row throws(CatalogError) in try Self.optionalInt(row, "version") } ?? nil
            let version = Int(current ?? 0)
            if version > Self.schemaVersion {
                throw CatalogError(
                    .schemaTooNew,
                    "the catalog's schema is version \(version), newer than this sluice knows "
                        + "(\(Self.schemaVersion)); run a sluice at least as new as the newest node")
            }
            for step in version..<Self.schemaVersion {
                for statement in Self.migrations[step] {
                    try await run(PostgresQuery(unsafeSQL: statement), on: connection)
                }
                try await run("INSERT INTO sluice_schema (version) VALUES (\(step + 1))", on: connection)
            }
        }
    }
}
