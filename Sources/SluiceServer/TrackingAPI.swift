import Catalog
import Deflate
import Hummingbird
import Logging
import Metrics
import NIOCore
import Pipeline
import SegmentModel

/// The Segment-compatible Tracking API: `/v1/{track,identify,page,screen,group,alias,batch,import}` and the
/// short paths `/v1/{t,i,p,s,g,a,b}`.
public struct TrackingAPI: Sendable {
    let ingestor: Ingestor
    let sources: SourceDirectory
    let catalog: any CatalogStore
    let limits: IngestLimits
    let isReady: @Sendable () -> Bool
    let now: @Sendable () -> Int64
    let messageIDs: MessageIDGenerator
    /// Which browser origins may call it.
    let cors: CORSPolicy
    /// Whose forwarding headers name the client for `context.ip`.
    let trustedProxies: TrustedProxies
    /// The console's live debugger listens here; accepted lines are published only while someone does.
    let tap: EventTap?
    /// Per-source allow-lists that replace `cors` for their source's write keys; nil: `cors` alone decides.
    let sourceOrigins: SourceOrigins?
    /// Made once: building a `Counter` looks its label up in the registry under a lock, every time.
    let acceptedEvents = Counter(label: "sluice_events_accepted_total")
    /// Client-side body problems (cut-off streams, broken chunked framing) are logged at info, at most one line per
    /// interval: a misbehaving client must not flood the log.
    let bodyErrors = RateLimitedLog(level: .info, message: "request body could not be read")
    /// Server-side failures to store events, at error level, rate limited too.
    let ingestFailures = RateLimitedLog(level: .error, message: "ingest failed")
    /// Rejected events that could not be kept in the quarantine (they were reported to the client).
    let quarantineFailures = RateLimitedLog(level: .error, message: "rejected events not quarantined")

    public init(
        ingestor: Ingestor, sources: SourceDirectory, catalog: any CatalogStore, limits: IngestLimits,
        isReady: @escaping @Sendable () -> Bool, now: @escaping @Sendable () -> Int64,
        messageIDs: MessageIDGenerator = .ksuid, cors: CORSPolicy = .anyOrigin,
        trustedProxies: TrustedProxies = .none, tap: EventTap? = nil, sourceOrigins: SourceOrigins? = nil
    ) {
        self.ingestor = ingestor
        self.sources = sources
        self.catalog = catalog
        self.limits = limits
        self.isReady = isReady
        self.now = now
        self.messageIDs = messageIDs
        self.cors = cors
        self.trustedProxies = trustedProxies
        self.tap = tap
        self.sourceOrigins = sourceOrigins
    }

    /// Registers the routes.
    public func register(on router: Router<SluiceRequestContext>) {
        router.post("/v1/:call") { request, context in
            await self.withCORS(request) { decision in await self.handle(request, context: context, cors: &decision) }
        }
        router.on("/v1/:call", method: .options) { request, _ in
            await self.preflight(request)
        }
    }

    /// Whole bodies larger than this are refused before decompression (gzip of a 500 KB batch is smaller).
    var maxWireBytes: Int { Self.maxWireBytes(limits) }

    /// The largest body (as sent, possibly gzip) a request may have under `limits`.
    public static func maxWireBytes(_ limits: IngestLimits) -> Int { limits.maxBatchRequestBytes + 64 * 1024 }

    /// `cors` comes in as the server's decision for the request's `Origin` and leaves as the one that applies: the
    /// source's own allow-list, once the write key names the source.
    func handle(_ request: Request, context: SluiceRequestContext, cors: inout CORSPolicy.Decision) async -> Response {
        let received = now()
        guard let endpoint = Endpoint(path: request.uri.path) else {
            return Self.reject(
                .notFound, code: "not_found",
                message:
                    "unknown path \(request.uri.path.prefix(100)); use /v1/batch, /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias or /v1/import"
            )
        }
        guard isReady() else {
            return Self.reject(
                .serviceUnavailable, code: "starting", message: "the server is recovering its spool; retry shortly",
                retryAfterSeconds: 1)
        }
        do {
            try ingestor.admit()
        } catch {
            return Self.reject(.serviceUnavailable, code: "overloaded", message: error.message, retryAfterSeconds: 5)
        }
        do {
            let headerKey = try BasicAuth.writeKey(fromAuthorization: request.headers[.authorization])
            var source: Source? = nil
            if let headerKey {
                source = try await sources.source(writeKey: headerKey)
                guard source != nil else { return Self.unknownKey() }
            }
            let body = try await readBody(request)
            let decoded = try TrackingRequestDecoder.decode(body: body, endpoint: endpoint, limits: limits)
            if source == nil {
                guard let bodyKey = decoded.bodyWriteKey, !bodyKey.isEmpty else {
                    return Self.reject(
                        .unauthorized, code: "missing_write_key",
                        message:
                            "no write key: send Authorization: Basic base64(WRITE_KEY:) or a writeKey field in the body"
                    )
                }
                source = try await sources.source(writeKey: bodyKey)
            }
            guard let source else { return Self.unknownKey() }
            let own = await sourceOrigins?.policy(sourceID: source.id)
            if let own { cors = own.decision(origin: request.headers[.origin]) }
            if case .refuse = cors { return Self.originRefused(request, source: own == nil ? nil : source) }
            return try await accept(
                decoded, source: source, received: received, peerIP: clientIP(request, context),
                logger: context.logger)
        } catch let error as AuthError {
            return Self.reject(.unauthorized, code: "invalid_authorization", message: error.message)
        } catch let error as SegmentError {
            return Self.reject(.init(code: error.code.httpStatus), code: error.code.rawValue, message: error.message)
        } catch let error as BodyError {
            if error.status == .badRequest { bodyErrors.note(error, logger: context.logger) }
            var response = Self.reject(error.status, code: error.code, message: error.message)
            // The rest of an oversized or broken body is not read: the connection closes after the answer.
            if error.closesConnection { response.headers[.connection] = "close" }
            return response
        } catch let error as PipelineError where error.code == .overloaded {
            return Self.reject(.serviceUnavailable, code: "overloaded", message: error.message, retryAfterSeconds: 5)
        } catch let error as CatalogError where error.code == .unavailable {
            // A key this node has not seen, asked while the catalog is away: valid or not, nobody can say yet.
            return Self.reject(
                .serviceUnavailable, code: "catalog_unavailable",
                message: "the catalog cannot be reached to check this write key; retry shortly", retryAfterSeconds: 2)
        } catch {
            ingestFailures.note(error, logger: context.logger)
            return Self.reject(
                .serviceUnavailable, code: "unavailable", message: "the event could not be stored; retry later",
                retryAfterSeconds: 5)
        }
    }

    static func unknownKey() -> Response {
        reject(
            .unauthorized, code: "unknown_write_key",
            message: "the write key does not belong to any source; check the key (sluice sources list)")
    }

    /// An error answer, counted in `sluice_requests_rejected_total` by code: every Tracking API rejection goes
    /// through here.
    static func reject(
        _ status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int? = nil
    ) -> Response {
        Counter(label: "sluice_requests_rejected_total", dimensions: [("code", code)]).increment()
        return JSONBody.errorResponse(status, code: code, message: message, retryAfterSeconds: retryAfterSeconds)
    }
}
