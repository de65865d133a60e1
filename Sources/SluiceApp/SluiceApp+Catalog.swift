import Catalog
import CatalogSQLite
import Foundation
import Logging

/// Where the catalog lives. The embedded default is the data directory's SQLite file.
public enum CatalogLocation: Sendable, Hashable {
    /// A SQLite file (`{data-dir}/catalog.sqlite` on the embedded default).
    case sqlite(path: String)

    /// The data directory's own catalog.
    public static func embedded(in data: DataDirectory) -> CatalogLocation { .sqlite(path: data.catalogPath) }

    /// False when there is nothing to open yet (a data directory no server or command has used).
    var exists: Bool {
        switch self {
        case .sqlite(let path): return FileManager.default.fileExists(atPath: path)
        }
    }
}

extension SluiceApp {
    /// The one place that turns a location into a catalog implementation; everything else sees the protocols.
    ///
    /// ```swift
    /// let catalog = try await SluiceApp.openCatalog(.embedded(in: data), logger: logger)
    /// defer { await catalog.close() }  // in an async context
    /// ```
    public static func openCatalog(_ location: CatalogLocation, logger: Logger) async throws(CatalogError)
        -> any SluiceCatalog
    {
        switch location {
        case .sqlite(let path): return try await SQLiteCatalog.open(path: path, logger: logger)
        }
    }

    /// Opens the data directory's catalog (creating the directory), runs `body` with it, and closes it.
    /// For the CLI, which runs beside or without a server.
    public static func withCatalog<T: Sendable>(
        dataDirectory: String, logger: Logger, _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T {
        let data = DataDirectory(dataDirectory)
        try data.create()
        return try await withCatalog(at: .embedded(in: data), logger: logger, body)
    }

    /// Like `withCatalog(dataDirectory:logger:_:)`, but nil without opening anything when the data directory has
    /// no catalog yet (`sluice logs` reads a bucket that may belong to no local server).
    public static func withExistingCatalog<T: Sendable>(
        dataDirectory: String, logger: Logger, _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T? {
        let location = CatalogLocation.embedded(in: DataDirectory(dataDirectory))
        guard location.exists else { return nil }
        return try await withCatalog(at: location, logger: logger, body)
    }

    static func withCatalog<T: Sendable>(
        at location: CatalogLocation, logger: Logger, _ body: (any SluiceCatalog) async throws -> T
    ) async throws -> T {
        let catalog = try await openCatalog(location, logger: logger)
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
