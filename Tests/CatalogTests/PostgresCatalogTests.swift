import Catalog
import CatalogPostgres
import Logging
import PostgresNIO
import SluiceTesting
import Testing

/// What only the PostgreSQL catalog has: URLs, migrations under an advisory lock, and its connection errors.
@Suite struct PostgresCatalogTests {
    let logger = Logger(label: "test.catalog.postgres")

    func freshDatabase() async throws -> (PostgresServer, String) {
        let server = try await SharedPostgres.server()
        let database = "pg_" + Identifiers.random(12).lowercased()
        try server.createDatabase(database)
        return (server, database)
    }

    @Test func urlsTakeSSLModeAndAPasswordFromTheEnvironmentWithoutShowingIt() throws {
        let url = try PostgresURL.parse(
            "postgres://sluice@db.internal:6543/cluster?sslmode=require", environment: ["PGPASSWORD": "hunter2"])
        #expect(url.host == "db.internal" && url.port == 6543 && url.database == "cluster" && url.user == "sluice")
        #expect(url.password == "hunter2" && url.sslMode == .require)
        #expect(!url.description.contains("hunter2"))
        let inline = try PostgresURL.parse("postgresql://u:in-url@h/", environment: ["PGPASSWORD": "ignored"])
        #expect(inline.password == "in-url" && inline.database == "u" && inline.sslMode == .prefer)
        #expect(!inline.description.contains("in-url"))
        for bad in [
            "mysql://u@h/d", "postgres://h/d", "postgres://u@/d", "postgres://u@h/d?sslmode=maybe",
            "postgres://u@h/d?application_name=x",
        ] {
            #expect(throws: CatalogError.self) { try PostgresURL.parse(bad) }
        }
    }

    @Test func nodesStartingTogetherOnAnEmptyDatabaseMigrateOnce() async throws {
        let (server, database) = try await freshDatabase()
        let url = try PostgresURL.parse(server.url(database: database))
        let logger = self.logger
        let catalogs = try await withThrowingTaskGroup(of: PostgresCatalog.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresCatalog.open(url: url, logger: logger) } }
            var opened: [PostgresCatalog] = []
            for try await catalog in group { opened.append(catalog) }
            return opened
        }
        let source = try await catalogs[0].createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        for catalog in catalogs {
            #expect(try await catalog.source(writeKey: source.writeKey)?.id == source.id)
            await catalog.close()
        }
        let rows = try await query(
            server, database, "SELECT count(*)::int8 AS n, max(version)::int8 AS v FROM sluice_schema")
        #expect(rows == [Int64(PostgresCatalog.schemaVersion), Int64(PostgresCatalog.schemaVersion)], "each step once")
    }

    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        let (server, database) = try await freshDatabase()
        let url = try PostgresURL.parse(server.url(database: database))
        await (try await PostgresCatalog.open(url: url, logger: logger)).close()
        _ = try await query(server, database, "INSERT INTO sluice_schema VALUES (\(PostgresCatalog.schemaVersion + 1))")
        do throws(CatalogError) {
            _ = try await PostgresCatalog.open(url: url, logger: logger)
            Issue.record("a newer schema was opened")
        } catch {
            #expect(error.code == .schemaTooNew)
        }
    }

    @Test func wrongPasswordAndUnreachableServerAreOneClearLineEach() async throws {
        let (server, database) = try await freshDatabase()
        let wrong = try PostgresURL.parse(server.url(database: database, password: "not-the-password"))
        do throws(CatalogError) {
            _ = try await PostgresCatalog.open(url: wrong, logger: logger)
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("password") && !error.message.contains("not-the-password"))
        }
        // The password from PGPASSWORD when the URL has none.
        let fromEnvironment = try PostgresURL.parse(
            server.url(database: database, password: nil), environment: ["PGPASSWORD": PostgresServer.password])
        await (try await PostgresCatalog.open(url: fromEnvironment, logger: logger)).close()

        let closedPort = try FreePort.allocate()
        let nobody = try PostgresURL.parse("postgres://u:p@127.0.0.1:\(closedPort)/d?sslmode=disable")
        do throws(CatalogError) {
            _ = try await PostgresCatalog.open(url: nobody, logger: logger)
            Issue.record("connected to nothing")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("127.0.0.1:\(closedPort)"))
        }
    }

    @Test func theCatalogReconnectsByItselfAfterPostgresRestarts() async throws {
        // A cluster of its own: this test stops it.
        let server = try await PostgresServer.start()
        defer { server.stop() }
        try server.createDatabase("sluice")
        let catalog = try await PostgresCatalog.open(
            url: try PostgresURL.parse(server.url(database: "sluice")), logger: logger)
        let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        server.stop(removing: false)
        await #expect(throws: CatalogError.self) { _ = try await catalog.sources() }
        try await server.restart()
        try await Poll.until("the catalog answers again", timeout: .seconds(30)) {
            (try? await catalog.sources()) == [web]
        }
        await catalog.close()
    }

    /// One statement's first row, every column as Int64, on a connection of its own.
    func query(_ server: PostgresServer, _ database: String, _ sql: String) async throws -> [Int64] {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: server.port, username: PostgresServer.user, password: PostgresServer.password,
            database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        try await connection.close()
        guard let row = rows.first else { return [] }
        return try row.map { try $0.decode(Int64.self) }
    }
}
