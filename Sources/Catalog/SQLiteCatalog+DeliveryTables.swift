extension SQLiteCatalog {
    /// Tables of destinations, the delivery ledger, per-destination run state and the copy schedule's state.
    /// Called from `migrate()`; every statement is idempotent.
    func migrateDelivery() async throws(CatalogError) {
        for statement in [
            """
            CREATE TABLE IF NOT EXISTS destinations (
                id TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), bucket TEXT NOT NULL,
                encryption TEXT NOT NULL, access_kind TEXT NOT NULL, access_key_id TEXT, secret_access_key TEXT,
                role_arn TEXT, external_id TEXT, endpoint TEXT NOT NULL DEFAULT '', region TEXT,
                enabled INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                UNIQUE (source_id, bucket, endpoint))
            """,
            """
            CREATE TABLE IF NOT EXISTS deliveries (
                destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
                staged_key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT, delivered_at INTEGER NOT NULL,
                PRIMARY KEY (destination_id, staged_key)) WITHOUT ROWID
            """,
            "CREATE INDEX IF NOT EXISTS deliveries_staged_key ON deliveries(staged_key)",
            """
            CREATE TABLE IF NOT EXISTS destination_state (
                destination_id TEXT PRIMARY KEY REFERENCES destinations(id) ON DELETE CASCADE,
                last_success_at INTEGER, last_attempt_at INTEGER, last_error TEXT, last_error_at INTEGER,
                consecutive_failures INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE TABLE IF NOT EXISTS copy_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        ] {
            try await run(statement)
        }
    }
}
