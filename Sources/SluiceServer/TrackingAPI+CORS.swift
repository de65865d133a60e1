import Hummingbird
import Metrics
import NIOCore

extension TrackingAPI {
    /// Runs `body` for a request the CORS policy allows and adds the headers that let the page read the answer;
    /// refuses a browser's request from an origin the policy does not list, before anything is read or stored.
    func withCORS(_ request: Request, _ body: () async -> Response) async -> Response {
        switch cors.decision(origin: request.headers[.origin]) {
        case .notCrossOrigin:
            return await body()
        case .refuse:
            return Self.originRefused(request)
        case .allow(let value):
            var response = await body()
            response.headers.append(contentsOf: cors.responseHeaders(allowing: value))
            return response
        }
    }

    /// Answers a preflight `OPTIONS`: `204` with the methods and headers analytics.js uses, or `403` for an origin
    /// the policy does not list.
    func preflight(_ request: Request) -> Response {
        switch cors.decision(origin: request.headers[.origin]) {
        case .notCrossOrigin:
            return Response(status: .noContent, headers: [.allow: CORSPolicy.allowMethods])
        case .refuse:
            return Self.originRefused(request)
        case .allow(let value):
            return Response(status: .noContent, headers: cors.preflightHeaders(allowing: value))
        }
    }

    static func originRefused(_ request: Request) -> Response {
        Counter(label: "sluice_requests_rejected_total", dimensions: [("code", "origin_not_allowed")]).increment()
        let origin = request.headers[.origin] ?? ""
        return JSONBody.errorResponse(
            .forbidden, code: "origin_not_allowed",
            message:
                "pages from \(origin.prefix(100)) may not send events here; add the origin to http.cors.allowOrigins")
    }
}
