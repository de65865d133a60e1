import Catalog
import CatalogPostgres
import Logging
import SluiceTesting
import Testing

/// The PostgreSQL catalog through outages, on a server of its own: a stopped server fails calls at once, a frozen
/// one within the statement timeout (never a hang), both mark `health` unreachable, and the first call after the
/// server is back reconnects and clears it.
@Suite(.serialized) struct PostgresOutageTests {
    let logger = Logger(label: "test.catalog.outage")

    @Test func aFrozenServerFailsCallsWithinTheStatementTimeoutAndTheCatalogRecovers() async throws {
        let server = try await PostgresServer.start()
        defer { server.stop() }
        try server.createDatabase("outage")
        let health = CatalogHealth()
        let catalog = try await PostgresCatalog.open(
            url: try PostgresURL.parse(server.url(database: "outage")), logger: logger, health: health,
            statementTimeout: .seconds(2))
        let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
        #expect(health.snapshot.isUp && health.snapshot.lastSuccessMilliseconds != nil)

        try server.pause()
        do {
            let error = await #expect(throws: CatalogError.self) { try await catalog.source(writeKey: web.writeKey) }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(!health.snapshot.isUp && health.snapshot.errorCount >= 1)
            // The shared connection was closed by the timeout; reconnecting to a frozen server times out too.
            let again = await #expect(throws: CatalogError.self) { try await catalog.sources() }
            #expect(again?.code == .unavailable)
        }
        try server.resume()
        try await Poll.until("the catalog answers again", timeout: .seconds(30), every: .milliseconds(200)) {
            (try? await catalog.source(writeKey: web.writeKey)) == web
        }
        #expect(health.snapshot.isUp)
        await catalog.close()
    }

    @Test func aStoppedServerFailsCallsAtOnceAndTheNextCallAfterARestartReconnects() async throws {
        let server = try await PostgresServer.start()
        defer { server.stop() }
        try server.createDatabase("restart")
        let health = CatalogHealth()
        let catalog = try await PostgresCatalog.open(
            url: try PostgresURL.parse(server.url(database: "restart")), logger: logger, health: health)
        let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)

        try server.stopFast()
        let error = await #expect(throws: CatalogError.self) { try await catalog.source(writeKey: web.writeKey) }
        #expect(error?.code == .unavailable)
        let since = try #require(health.snapshot.unreachableSinceMilliseconds)
        _ = try? await catalog.sources()
        #expect(health.snapshot.unreachableSinceMilliseconds == since, "one outage, however many calls fail")

        try await server.restart()
        #expect(try await catalog.source(writeKey: web.writeKey) == web)
        #expect(health.snapshot.isUp && health.snapshot.errorCount >= 2)
        await catalog.close()
    }
}
