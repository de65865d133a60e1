import Catalog
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
    let path: String
    let secrets: SecretSealer
    let logger: Logger

    init(connection: SQLiteConnection, path: String, secrets: SecretSealer, logger: Logger) {
        self.connection = connection
        self.path = path
        self.secrets = secrets
        self.logger = logger
    }

    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date. A file whose schema is
    /// newer than this build knows is refused (`.schemaTooNew`) and left untouched.
    ///
    /// The file holds write keys and destination secrets, so it is created 0600 (SQLite gives its `-wal` and `-shm`
    /// files the same mode) and an existing one that others could read is made 0600. Destination secrets are sealed
    /// with `secrets`; nil means the key in `secret-key` beside the catalog file, created on first use (0600).
    /// Secrets an older Sluice stored in plain text are sealed here.
    public static func open(path: String, secrets: SecretSealer? = nil, logger: Logger) async throws(CatalogError)
        -> SQLiteCatalog
    {
        try restrictPermissions(path)
        let sealer: SecretSealer
        if let secrets {
            sealer = secrets
        } else {
            sealer = SecretSealer(key: try SecretKeyFile.loadOrCreate(besideCatalog: path))
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw CatalogError(
                .storage, "cannot open the catalog at \(path); check the data directory's permissions",
                underlying: error)
        }
        let catalog = SQLiteCatalog(connection: connection, path: path, secrets: sealer, logger: logger)
        do throws(CatalogError) {
            try await catalog.migrate()
            try await catalog.sealPlaintextSecrets()
        } catch {
            await catalog.close()
            throw error
        }
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

    @discardableResult
    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws(CatalogError) -> [SQLiteRow] {
        try await run(sql, binds, on: connection)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on a connection of its own: the shared connection serves
    /// concurrent callers, whose statements would otherwise land inside (and roll back with) the transaction.
    /// For the rare multi-statement writes (creating a source with its key).
    func transaction<T>(_ body: (SQLiteConnection) async throws(CatalogError) -> T) async throws(CatalogError) -> T {
        let own: SQLiteConnection
        do {
            own = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw CatalogError(.storage, "cannot open the catalog at \(path)", underlying: error)
        }
        do throws(CatalogError) {
            try await run("PRAGMA busy_timeout = 5000", on: own)
            try await run("PRAGMA foreign_keys = ON", on: own)
            try await run("BEGIN IMMEDIATE", on: own)
            do throws(CatalogError) {
                let result = try await body(own)
                try await run("COMMIT", on: own)
                try? await own.close()
                return result
            } catch {
                try? await run("ROLLBACK", on: own)
                throw error
            }
        } catch {
            try? await own.close()
            throw error
        }
    }

    @discardableResult
    func run(_ sql: String, _ binds: [SQLiteData] = [], on connection: SQLiteConnection) async throws(CatalogError)
        -> [SQLiteRow]
    {
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
