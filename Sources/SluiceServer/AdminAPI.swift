import Catalog
import Foundation
import Hummingbird
import NIOCore
import Pipeline

/// The admin surface (`/admin/...`), guarded by a bearer token: flush, sources, key revocation, quarantine, status.
public struct AdminAPI: Sendable {
    let token: String
    let batcher: Batcher
    let catalog: any CatalogStore
    let sources: SourceDirectory
    let now: @Sendable () -> Int64
    let health: @Sendable () -> PipelineHealth
    let catalogHealth: @Sendable () -> CatalogHealth.Snapshot
    let duplicatesDropped: @Sendable () -> [String: Int]

    public init(
        token: String, batcher: Batcher, catalog: any CatalogStore, sources: SourceDirectory,
        now: @escaping @Sendable () -> Int64, health: @escaping @Sendable () -> PipelineHealth,
        catalogHealth: @escaping @Sendable () -> CatalogHealth.Snapshot = { CatalogHealth.Snapshot() },
        duplicatesDropped: @escaping @Sendable () -> [String: Int] = { [:] }
    ) {
        self.catalogHealth = catalogHealth
        self.duplicatesDropped = duplicatesDropped
        self.token = token
        self.batcher = batcher
        self.catalog = catalog
        self.sources = sources
        self.now = now
        self.health = health
    }

    public func register(on router: Router<SluiceRequestContext>) {
        let admin = router.group("admin").add(middleware: AdminTokenMiddleware(token: token))
        admin.post("flush") { _, _ in
            let outcome = await self.batcher.flush()
            guard outcome.unstored == 0 else {
                return JSONBody.errorResponse(
                    .internalServerError, code: "store_failed",
                    message: "\(outcome.unstored) closed batch(es) could not be stored "
                        + "(\(outcome.lastError ?? "see the log")). Their events are safe in the spool and are retried every few seconds (at most 60 s); "
                        + "fix the cause (disk space, permissions) and flush again")
            }
            return JSONBody.response(.ok, ByteBuffer(string: #"{"success":true,"closed":\#(outcome.closed)}"#))
        }
        admin.get("sources") { _, _ in
            try await Self.json(self.catalog.sources())
        }
        admin.post("sources") { request, context in
            struct Create: Decodable { let name: String; let id: String?; let writeKey: String? }
            let create = try await request.decode(as: Create.self, context: context)
            do {
                let source = try await self.catalog.createSource(
                    id: create.id, name: create.name, writeKey: create.writeKey, nowMilliseconds: self.now())
                self.sources.insert(source)
                return try Self.json(source, status: .created)
            } catch let error as CatalogError {
                return Self.errorResponse(error)
            }
        }
        // The key travels in the body, not the path, so it stays out of access logs.
        admin.post("keys/revoke") { request, context in
            struct Revoke: Decodable { let key: String }
            let revoke = try await request.decode(as: Revoke.self, context: context)
            do {
                try await self.catalog.revokeWriteKey(revoke.key, nowMilliseconds: self.now())
            } catch let error as CatalogError {
                return Self.errorResponse(error)
            }
            self.sources.evict(writeKeys: [revoke.key])
            return JSONBody.response(.ok, ByteBuffer(string: #"{"success":true}"#))
        }
        admin.get("quarantine/:source") { request, context in
            let name = context.parameters.get("source") ?? ""
            guard let source = try await self.catalog.source(idOrName: name) else {
                return JSONBody.errorResponse(.notFound, code: "not_found", message: "no source '\(name.prefix(64))'")
            }
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 100
            return try Self.json(
                try await self.catalog.quarantined(sourceID: source.id, limit: min(max(limit, 1), 10_000)).map(
                    QuarantineView.init))
        }
        admin.get("status") { _, _ in
            let pipeline = self.health()
            let catalog = self.catalogHealth()
            var status = StatusView(
                openBatches: await self.batcher.openBatchCount, pipeline, self.batcher, catalog: catalog,
                status: HealthReport(pipeline: pipeline, catalog: catalog, nowMilliseconds: self.now()).status)
            status.duplicatesDroppedBySource = self.duplicatesDropped()
            status.duplicatesDropped = status.duplicatesDroppedBySource.values.reduce(0, +)
            return try Self.json(status)
        }
    }

    static func errorResponse(_ error: CatalogError) -> Response {
        let status: HTTPResponse.Status =
            switch error.code {
            case .duplicate: .conflict
            case .notFound: .notFound
            default: .badRequest
            }
        return JSONBody.errorResponse(status, code: error.code.rawValue, message: error.message)
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return JSONBody.response(status, ByteBuffer(bytes: try encoder.encode(value)))
    }
}

/// `GET /admin/status`: what the pipeline holds. `backlogBytes` is what the spool retains (acknowledged events not
/// yet in a stored batch); `writerBacklogBytes` what waits for compression. `status` is the health route's word;
/// `catalog` says whether the catalog database answers (`ok` or `unreachable`, since when, and why).
struct StatusView: Encodable {
    struct CatalogView: Encodable {
        let status: String
        let unreachableSince: Int64?
        let lastSuccessAt: Int64?
        let lastError: String?
        let errors: Int
    }
    let status: String
    let catalog: CatalogView
    let openBatches: Int
    let backlogBytes: Int
    let writerBacklogBytes: Int
    let unstoredBatches: Int
    let lastStoreError: String?
    let spoolRefusal: String?
    let spoolRefusalMessage: String?
    /// Events left out as repeats of an accepted messageId since start, in all and per source id.
    var duplicatesDropped = 0
    var duplicatesDroppedBySource: [String: Int] = [:]

    init(
        openBatches: Int, _ health: PipelineHealth, _ batcher: Batcher, catalog: CatalogHealth.Snapshot,
        status: HealthReport.Status
    ) {
        self.status = status.rawValue
        self.catalog = CatalogView(
            status: catalog.isUp ? "ok" : "unreachable", unreachableSince: catalog.unreachableSinceMilliseconds,
            lastSuccessAt: catalog.lastSuccessMilliseconds, lastError: catalog.lastError, errors: catalog.errorCount)
        self.openBatches = openBatches
        backlogBytes = health.spoolRetainedBytes
        writerBacklogBytes = batcher.backlog.bytes
        unstoredBatches = health.unstoredBatches
        lastStoreError = health.lastStoreError
        spoolRefusal = health.spoolRefusal?.code
        spoolRefusalMessage = health.spoolRefusal?.message
    }
}

/// A quarantined event as the admin API shows it (raw bytes as text when they are UTF-8).
struct QuarantineView: Encodable {
    let index: Int
    let code: String
    let message: String
    let receivedAt: Int64
    let raw: String

    init(_ event: QuarantinedEvent) {
        index = event.index
        code = event.code
        message = event.message
        receivedAt = event.receivedAtMilliseconds
        raw = String(decoding: event.raw, as: UTF8.self)
    }
}

/// Requires `Authorization: Bearer <admin token>`; compares in constant time.
struct AdminTokenMiddleware: RouterMiddleware {
    typealias Context = SluiceRequestContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let presented = Self.bearerToken(request.headers[.authorization] ?? "")
        guard Self.constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
            return JSONBody.errorResponse(
                .unauthorized, code: "admin_token_required",
                message: "the admin API needs Authorization: Bearer <token> (the token is in {data-dir}/admin-token)")
        }
        return try await next(request, context)
    }

    /// The credentials of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1).
    static func bearerToken(_ header: String) -> String {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return "" }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
