import Catalog
import CatalogPostgres
import CatalogSQLite
import Logging
import Foundation
import SluiceTesting
import Synchronization
import Testing

/// The catalog implementations the contract suite runs against. Each opens a fresh, empty catalog and can
/// reopen it (a new connection to the same database), so persistence is part of the contract.
enum CatalogImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The key every node of a test cluster shares (`SLUICE_SECRET_KEY`).
    static let clusterSealer = SecretSealer(key: SecretKey.generate().key)

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
        case .postgres:
            let server = try await SharedPostgres.server()
            let database = "contract_" + Identifiers.random(12).lowercased()
            try server.createDatabase(database)
            let url = try PostgresURL.parse(server.url(database: database))
            let catalog = try await PostgresCatalog.open(url: url, secrets: Self.clusterSealer, logger: logger)
            do {
                try await body(catalog) {
                    try await PostgresCatalog.open(url: url, secrets: Self.clusterSealer, logger: logger)
                }
            } catch {
                await catalog.close()
                throw error
            }
            await catalog.close()
        }
    }
}

/// One PostgreSQL cluster for the whole test process (each test gets its own database in it): starting a
/// cluster costs seconds. It is stopped and removed when the process exits.
enum SharedPostgres {
    static let state = SharedServer()

    static func server() async throws -> PostgresServer { try await state.get() }

    actor SharedServer {
        var server: PostgresServer?

        func get() async throws -> PostgresServer {
            if let server { return server }
            let started = try await PostgresServer.start()
            server = started
            atexit { SharedPostgres.stopAtExit() }
            SharedPostgres.started.withLock { $0 = started }
            return started
        }
    }

    static let started = Mutex<PostgresServer?>(nil)

    static func stopAtExit() {
        started.withLock { $0?.stop() }
    }
}
