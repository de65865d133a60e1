import Logging
import NIOCore
import SQLiteNIO

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded catalog: one SQLite file in WAL mode with synchronous commits, shareable between the server and
/// CLI processes.
///
/// ```swift
/// let catalog = try await SQLiteCatalog.open(path: "sluice-data/catalog.sqlite", logger: logger)
/// let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: now)
/// ```
public final class SQLiteCatalog: CatalogStore, Sendable {
    let connection: SQLiteConnection
    let logger: Logger

    init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date. The file holds write
    /// keys and destination secrets, so it is created 0600 (SQLite gives its `-wal` and `-shm` files the same mode)
    /// and an existing one that others could read is made 0600.
    public static func open(path: String, logger: Logger) async throws(CatalogError) -> SQLiteCatalog {
        try restrictPermissions(path)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw CatalogError(
                .storage, "cannot open the catalog at \(path); check the data directory's permissions",
                underlying: error)
        }
        let catalog = SQLiteCatalog(connection: connection, logger: logger)
        try await catalog.migrate()
        return catalog
    }

    /// Creates `path` (and leaves its `-wal`/`-shm` companions) readable by the owner only.
    static func restrictPermissions(_ path: String) throws(CatalogError) {
        let fd = Glibc.open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CatalogError(
                .storage,
                "cannot create the catalog at \(path) (errno \(errno)); check the data directory's permissions")
        }
        defer { Glibc.close(fd) }
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, 0o600) == 0 else {
                throw CatalogError(.storage, "cannot make \(file) private (chmod 0600, errno \(errno))")
            }
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await connection.close()
    }

    func migrate() async throws(CatalogError) {
        // busy_timeout lets the CLI and the server share the file; FULL makes every commit durable, because the
        // quarantine holds acknowledged data.
        for statement in [
            "PRAGMA busy_timeout = 5000",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
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
        ] {
            try await run(statement)
        }
        try await migrateDelivery()
    }

    @discardableResult
    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws(CatalogError) -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            if "\(error)".contains("UNIQUE constraint failed") {
                throw CatalogError(.duplicate, "already exists", underlying: error)
            }
            logger.error("catalog query failed", metadata: ["error": "\(error)"])
            throw CatalogError(.storage, "the catalog database failed; see the server log", underlying: error)
        }
    }
}
