import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation
import Logging

/// Where the catalog lives. The embedded default is the data directory's SQLite file; a cluster shares one
/// PostgreSQL database (`--catalog postgres://...` or `SLUICE_CATALOG`).
public enum CatalogLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file (`{data-dir}/catalog.sqlite` on the embedded default).
    case sqlite(path: String)
    /// A PostgreSQL database shared by every node.
    case postgres(PostgresURL)

    /// The data directory's own catalog.
    public static func embedded(in data: DataDirectory) -> CatalogLocation { .sqlite(path: data.catalogPath) }

    /// `text` as given to `--catalog` / `SLUICE_CATALOG` / the config file's `catalog`: nil or empty means the
    /// embedded catalog of `data`, a `postgres://` URL a PostgreSQL catalog (password from the URL or
    /// `PGPASSWORD` in `environment`), anything else the path of a SQLite file.
    public static func resolve(_ text: String?, data: DataDirectory, environment: [String: String]) throws(CatalogError)
        -> CatalogLocation
    {
        guard let text, !text.isEmpty else { return .embedded(in: data) }
        if PostgresURL.isPostgresURL(text) { return .postgres(try PostgresURL.parse(text, environment: environment)) }
        return .sqlite(path: text)
    }

    /// For messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return url.description
        }
    }

    /// False when there is certainly nothing to open yet (a data directory no server or command has used).
    var exists: Bool {
        switch self {
        case .sqlite(let path): return FileManager.default.fileExists(atPath: path)
        case .postgres: return true
        }
    }
}

extension SluiceApp {
    /// The one place that turns a location into a catalog implementation; everything else sees the protocols.
    ///
    /// ```swift
    /// let catalog = try await SluiceApp.openCatalog(.embedded(in: data), environment: env, logger: logger)
    /// defer { await catalog.close() }  // in an async context
    /// ```
    ///
    /// Destination secrets are sealed with the key `SecretKeys.sealer(environment:)` finds; without one, a SQLite
    /// catalog uses the `secret-key` file beside it and a PostgreSQL catalog stores no static secret. `health`
    /// learns whether a PostgreSQL catalog answers (an embedded SQLite file always does).
    public static func openCatalog(
        _ location: CatalogLocation, environment: [String: String], logger: Logger,
        health: CatalogHealth = CatalogHealth(), now: @escaping @Sendable () -> Int64 = PostgresCatalog.wallClock
    ) async throws(CatalogError) -> any SluiceCatalog {
        let sealer = try SecretKeys.sealer(environment: environment)
        switch location {
        case .sqlite(let path):
            return try await SQLiteCatalog.open(path: path, secrets: sealer, logger: logger)
        case .postgres(let url):
            return try await PostgresCatalog.open(
                url: url, secrets: sealer ?? .withoutKey(advice: PostgresCatalog.noKeyAdvice), logger: logger,
                health: health, now: now)
        }
    }

    /// Opens the catalog `catalog` names (see `CatalogLocation.resolve`; nil is the data directory's own), runs
    /// `body` with it, and closes it. For the CLI, which runs beside or without a server.
    public static func withCatalog<T: Sendable>(
        dataDirectory: String, catalog: String? = nil, environment: [String: String] = [:], logger: Logger,
        _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T {
        let data = DataDirectory(dataDirectory)
        try data.create()
        let location = try CatalogLocation.resolve(catalog, data: data, environment: environment)
        return try await withCatalog(at: location, environment: environment, logger: logger, body)
    }

    /// Like `withCatalog(dataDirectory:catalog:environment:logger:_:)`, but nil without opening anything when the
    /// data directory has no embedded catalog yet (`sluice logs` reads a bucket that may belong to no local server).
    public static func withExistingCatalog<T: Sendable>(
        dataDirectory: String, catalog: String? = nil, environment: [String: String] = [:], logger: Logger,
        _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T? {
        let location = try CatalogLocation.resolve(
            catalog, data: DataDirectory(dataDirectory), environment: environment)
        guard location.exists else { return nil }
        return try await withCatalog(at: location, environment: environment, logger: logger, body)
    }

    static func withCatalog<T: Sendable>(
        at location: CatalogLocation, environment: [String: String], logger: Logger,
        _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T {
        let catalog = try await openCatalog(location, environment: environment, logger: logger)
        do {
            let result = try await body(catalog)
            await catalog.close()
            return result
        } catch {
            await catalog.close()
            throw error
        }
    }
}
