import Catalog
import SQLiteNIO

extension SQLiteCatalog {
    /// The schema, one step per version; `PRAGMA user_version` records the last applied step. Step 1 is the schema
    /// every catalog had before versions were recorded (its statements are idempotent, so such a file passes it
    /// harmlessly). Steps are only ever appended.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE IF NOT EXISTS sources (
                id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, write_key TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS quarantine (
                id INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL REFERENCES sources(id),
                received_at INTEGER NOT NULL, batch_index INTEGER NOT NULL, code TEXT NOT NULL,
                message TEXT NOT NULL, raw BLOB NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS quarantine_source ON quarantine(source_id, id)",
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
        ],
        // 2: several write keys per source. The keys move to their own table and `sources` is rebuilt without
        // its key column (SQLite cannot drop a UNIQUE column in place); foreign keys are off meanwhile, and the
        // rebuilt table keeps the name the other tables reference.
        [
            """
            CREATE TABLE write_keys (
                key TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), created_at INTEGER NOT NULL,
                revoked_at INTEGER) WITHOUT ROWID
            """,
            "INSERT INTO write_keys (key, source_id, created_at) SELECT write_key, id, created_at FROM sources",
            "CREATE INDEX write_keys_source ON write_keys(source_id, created_at)",
            """
            CREATE TABLE sources_v2 (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL)
            """,
            "INSERT INTO sources_v2 (id, name, created_at) SELECT id, name, created_at FROM sources",
            "DROP TABLE sources",
            "ALTER TABLE sources_v2 RENAME TO sources",
        ],
        // 3: the node registry.
        [
            """
            CREATE TABLE nodes (
                id TEXT PRIMARY KEY, instance TEXT NOT NULL, address TEXT NOT NULL, version TEXT NOT NULL,
                started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL, open_batches INTEGER NOT NULL,
                spool_backlog_bytes INTEGER NOT NULL, copy_leases INTEGER NOT NULL)
            """
        ],
        // 4 (issue 15): the staged-file ledger and copy as leased work (rows of existing staged files are backfilled
        // from a listing of the staging store when the copy first runs; see `StagingBackfill`).
        [
            """
            CREATE TABLE staged_files (
                staged_key TEXT PRIMARY KEY, source_id TEXT NOT NULL, received_day INTEGER NOT NULL,
                size INTEGER NOT NULL, checksum TEXT, writer TEXT NOT NULL, staged_at INTEGER NOT NULL) WITHOUT ROWID
            """,
            "CREATE INDEX staged_files_source ON staged_files(source_id, staged_key)",
            """
            CREATE TABLE copy_work (
                destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
                staged_key TEXT NOT NULL REFERENCES staged_files(staged_key) ON DELETE CASCADE,
                size INTEGER NOT NULL, ready_at INTEGER, owner TEXT, lease_expires_at INTEGER NOT NULL DEFAULT 0,
                epoch INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (destination_id, staged_key))
            """,
            "CREATE INDEX copy_work_due ON copy_work(ready_at) WHERE ready_at IS NOT NULL",
            "CREATE INDEX copy_work_staged ON copy_work(staged_key)",
        ],
        // 5 (issue 20): per-source CORS allow-lists (origins separated by newlines).
        [
            """
            CREATE TABLE source_origins (
                source_id TEXT PRIMARY KEY REFERENCES sources(id), origins TEXT NOT NULL) WITHOUT ROWID
            """
        ],
        // 6 (issue 19): console users with a slow salted password hash (never the password).
        [
            """
            CREATE TABLE console_users (
                name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID
            """
        ],
    ]

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { migrations.count }

    /// Applies the missing steps, each in one `BEGIN IMMEDIATE` transaction that re-reads the version, so a CLI
    /// and a server opening a new file at once apply each step exactly once.
    func migrate() async throws(CatalogError) {
        // busy_timeout lets the CLI and the server share the file; FULL makes every commit durable, because the
        // quarantine holds acknowledged data.
        for statement in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"] {
            try await run(statement)
        }
        while true {
            let current = try await version()
            if current > Self.schemaVersion { throw Self.tooNew(current) }
            if current == Self.schemaVersion { break }
            // Foreign keys cannot be switched inside a transaction; step 2 rebuilds a referenced table.
            try await run("PRAGMA foreign_keys = OFF")
            try await run("BEGIN IMMEDIATE")
            do throws(CatalogError) {
                let locked = try await version()
                if locked == current {
                    for statement in Self.migrations[current] { try await run(statement) }
                    guard try await run("PRAGMA foreign_key_check").isEmpty else {
                        throw CatalogError(.storage, "the catalog's references are inconsistent after migration")
                    }
                    try await run("PRAGMA user_version = \(current + 1)")
                }
                try await run("COMMIT")
            } catch {
                try? await run("ROLLBACK")
                throw error
            }
        }
        try await run("PRAGMA foreign_keys = ON")
    }

    func version() async throws(CatalogError) -> Int {
        try await run("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
    }

    static func tooNew(_ version: Int) -> CatalogError {
        CatalogError(
            .schemaTooNew,
            "the catalog's schema is version \(version), newer than this sluice knows (\(schemaVersion)); "
                + "run a sluice at least as new as the one that last opened it")
    }
}
