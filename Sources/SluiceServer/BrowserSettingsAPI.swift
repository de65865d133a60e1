import Hummingbird
import NIOCore

/// `GET /v1/projects/{writeKey}/settings`: what analytics-next loads from its `cdnURL` before it sends anything.
/// Answered for every write key a source has, `404 {"code":"unknown_write_key"}` otherwise, with the same CORS
/// policy as the Tracking API (the page fetches it from its own origin), the key's source's own list included.
public struct BrowserSettingsAPI: Sendable {
    let sources: SourceDirectory
    let cors: CORSPolicy
    /// `https://collect.example.com`: the address browsers reach Sluice at, when it differs from what they send in
    /// `Host` (behind a proxy or CDN that terminates TLS); nil derives it from `Host` and `scheme`.
    let publicURL: String?
    /// `https` when Sluice itself serves TLS, otherwise `http`.
    let scheme: String
    /// Per-source allow-lists (`sluice sources cors`): the key in the path names the source.
    let sourceOrigins: SourceOrigins?

    public init(
        sources: SourceDirectory, cors: CORSPolicy, publicURL: String?, scheme: String,
        sourceOrigins: SourceOrigins? = nil
    ) {
        self.sources = sources
        self.cors = cors
        self.publicURL = publicURL
        self.scheme = scheme
        self.sourceOrigins = sourceOrigins
    }

    public func register(on router: Router<SluiceRequestContext>) {
        router.get("/v1/projects/:writeKey/settings") { request, context in
            let writeKey = context.parameters.get("writeKey") ?? ""
            var decision = cors.decision(origin: request.headers[.origin])
            if let sourceOrigins, request.headers[.origin] != nil, !writeKey.isEmpty, writeKey.utf8.count <= 256,
                let source = try? await sources.source(writeKey: writeKey),
                let own = await sourceOrigins.policy(sourceID: source.id)
            {
                decision = own.decision(origin: request.headers[.origin])
            }
            switch decision {
            case .refuse:
                return TrackingAPI.originRefused(request)
            case .notCrossOrigin:
                return try await answer(request, writeKey: writeKey)
            case .allow(let value):
                var response = try await answer(request, writeKey: writeKey)
                response.headers.append(contentsOf: cors.responseHeaders(allowing: value))
                return response
            }
        }
    }

    func answer(_ request: Request, writeKey: String) async throws -> Response {
        guard !writeKey.isEmpty, writeKey.utf8.count <= 256, try await sources.source(writeKey: writeKey) != nil else {
            return JSONBody.errorResponse(
                .notFound, code: "unknown_write_key",
                message: "no source has this write key; check the key (sluice sources list)")
        }
        let base: (scheme: String, authority: String)
        if let publicURL, let split = Self.split(publicURL) {
            base = split
        } else if let authority = BrowserSettings.authority(request.head.authority) {
            base = (scheme, authority)
        } else {
            return JSONBody.errorResponse(
                .badRequest, code: "invalid_host",
                message: "the Host header is not a host name; set http.publicURL to the address browsers use")
        }
        let settings = BrowserSettings(
            writeKey: writeKey, apiHost: base.authority + "/v1", protocol: base.scheme)
        return JSONBody.response(
            .ok, ByteBuffer(string: settings.json), headers: [.cacheControl: "public, max-age=60"])
    }

    /// Whether `url` can be `http.publicURL`: `http(s)://host[:port]`, nothing after it.
    public static func isPublicURL(_ url: String) -> Bool { CORSPolicy.isOrigin(url) }

    /// `https://host:port` → ("https", "host:port").
    static func split(_ url: String) -> (scheme: String, authority: String)? {
        guard let range = url.range(of: "://") else { return nil }
        return (String(url[..<range.lowerBound]).lowercased(), String(url[range.upperBound...]))
    }
}
