import Catalog
import CatalogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Pipeline
import SegmentModel
import SluiceTesting
import Spool
import Storage

@testable import SluiceServer

/// The console's routes and the Tracking API on real parts (spool, SQLite catalog, local store, the event tap)
/// behind a live Hummingbird server, plus a signed-in session to call them with.
struct ConsoleHarness: Sendable {
    static let adminToken = "console-test-admin-token-0123456789"
    let catalog: SQLiteCatalog
    let tap: EventTap

    static func withHarness(
        secureCookies: Bool = false,
        _ body: @escaping @Sendable (ConsoleHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory("console")
        defer { directory.remove() }
        let logger = Logger(label: "test.console")
        try FileManager.default.createDirectory(atPath: directory.path + "/spool", withIntermediateDirectories: true)
        let spool = try Spool.open(
            configuration: SpoolConfiguration(directory: directory.path + "/spool"), logger: logger)
        defer { spool.close() }
        let catalog = try await SQLiteCatalog.open(path: directory.path + "/catalog.sqlite", logger: logger)
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let batcher = Batcher(
            policy: BatchingPolicy(), spool: spool, store: LocalArchiveStore(root: directory.path + "/bucket"),
            dataDirectory: directory.path, naming: BatchNaming(nodeID: "0123456789ab", buildID: "abcdef0"),
            nextSequence: 0, now: now, newUUID: { UUID().uuidString.lowercased() }, logger: logger)
        let sources = SourceDirectory(catalog: catalog, now: now)
        let tap = EventTap()
        let router = Router(context: SluiceRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        TrackingAPI(
            ingestor: Ingestor(spool: spool, batcher: batcher, policy: BatchingPolicy()), sources: sources,
            catalog: catalog, limits: IngestLimits(), isReady: { true }, now: now, tap: tap
        ).register(on: router)
        ConsoleAPI(
            adminToken: adminToken, catalog: catalog, sources: sources, tap: tap, destinations: nil, nodes: catalog,
            users: catalog, now: now, secureCookies: secureCookies
        ).register(on: router)
        let harness = ConsoleHarness(catalog: catalog, tap: tap)
        try await Application(router: router).test(.live) { client in try await body(harness, client) }
        await catalog.close()
    }
}

/// A signed-in browser's cookie and CSRF token.
struct ConsoleLogin {
    let cookie: String
    let csrf: String

    /// Signs in with the admin token and reads the CSRF token from the sources page.
    static func signIn(_ client: any TestClientProtocol) async throws -> ConsoleLogin {
        let setCookie = try await client.execute(
            uri: "/console/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=" + ConsoleHarness.adminToken)
        ) { $0.headers[.setCookie] ?? "" }
        let pair = String(setCookie.split(separator: ";").first ?? "")
        let page = try await client.execute(uri: "/console/sources", method: .get, headers: [.cookie: pair]) {
            String(buffer: $0.body)
        }
        let marker = #"<meta name="csrf-token" content=""#
        guard let start = page.range(of: marker)?.upperBound else { return ConsoleLogin(cookie: pair, csrf: "") }
        return ConsoleLogin(cookie: pair, csrf: String(page[start...].prefix(64)))
    }

    /// Headers of a JSON call from the console page.
    func headers(csrf: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
        if csrf { fields[ConsoleAPI.csrfHeader] = self.csrf }
        return fields
    }
}

extension TestResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) }
}
