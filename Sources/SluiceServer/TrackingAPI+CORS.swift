import Catalog
import Hummingbird
import Metrics
import NIOCore

extension TrackingAPI {
    /// Runs `body` for a request the CORS policy allows and adds the headers that let the page read the answer;
    /// refuses a browser's request from an origin the policy does not list, before anything is read or stored.
    /// With per-source lists, `body` gets the server's decision and may replace it with the source's (a source's
    /// list can allow an origin the server's does not), so a refusal then waits until the write key is known.
    func withCORS(_ request: Request, _ body: (inout CORSPolicy.Decision) async -> Response) async -> Response {
        var decision = cors.decision(origin: request.headers[.origin])
        if case .refuse = decision {
            // Only a source's own list can still allow it; without one that does, refuse before reading anything.
            guard let origin = request.headers[.origin], let sourceOrigins,
                await sourceOrigins.someSourceAllows(origin: origin)
            else { return Self.originRefused(request) }
        }
        var response = await body(&decision)
        if case .allow(let value) = decision {
            response.headers.append(contentsOf: cors.responseHeaders(allowing: value))
        }
        return response
    }

    /// Answers a preflight `OPTIONS`: `204` with the methods and headers analytics.js uses, or `403` for an origin
    /// the policy does not list.
    func preflight(_ request: Request) async -> Response {
        switch cors.decision(origin: request.headers[.origin]) {
        case .notCrossOrigin:
            return Response(status: .noContent, headers: [.allow: CORSPolicy.allowMethods])
        case .refuse:
            if let origin = request.headers[.origin], let sourceOrigins,
                await sourceOrigins.someSourceAllows(origin: origin)
            {
                return Response(status: .noContent, headers: cors.preflightHeaders(allowing: origin))
            }
            return Self.originRefused(request)
        case .allow(let value):
            return Response(status: .noContent, headers: cors.preflightHeaders(allowing: value))
        }
    }

    static func originRefused(_ request: Request, source: Source? = nil) -> Response {
        Counter(label: "sluice_requests_rejected_total", dimensions: [("code", "origin_not_allowed")]).increment()
        let origin = request.headers[.origin] ?? ""
        let fix =
            source.map { "add it with `sluice sources cors \($0.name) --allow-origin \(origin.prefix(100))`" }
            ?? "add the origin to http.cors.allowOrigins"
        return JSONBody.errorResponse(
            .forbidden, code: "origin_not_allowed",
            message: "pages from \(origin.prefix(100)) may not send events here; \(fix)")
    }
}
