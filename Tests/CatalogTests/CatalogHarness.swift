import Catalog
import CatalogSQLite
import Logging
import SluiceTesting
import Testing

/// The catalog implementations the contract suite runs against. Each opens a fresh, empty catalog and can
/// reopen it (a new connection to the same database), so persistence is part of the contract.
enum CatalogImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite

    var testDescription: String { rawValue }

    /// Runs `body` with an open catalog and a function that opens the same database again; closes everything.
    func with(
        _ body: (any SluiceCatalog, _ reopen: () async throws -> any SluiceCatalog) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.catalog.contract")
        switch self {
        case .sqlite:
            let dir = try TemporaryDirectory("catalog-contract")
            defer { dir.remove() }
            let path = dir.path + "/catalog.sqlite"
            let catalog = try await SQLiteCatalog.open(path: path, logger: logger)
            do {
                try await body(catalog) { try await SQLiteCatalog.open(path: path, logger: logger) }
            } catch {
                await catalog.close()
                throw error
            }
            await catalog.close()
        }
    }
}
