import Hummingbird
import Logging
import NIOCore
import SegmentModel

/// Makes every error answer `{"code","message"}` JSON, as the README promises: unknown paths and methods (which
/// Hummingbird answers with an empty 404), request bodies that do not decode (its own `{"error":...}` shape), and
/// anything a route throws unexpectedly (500, logged). Registered on the router before any route.
public struct JSONErrorMiddleware: RouterMiddleware {
    public typealias Context = SluiceRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return Self.response(for: error, request: request)
        } catch {
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            return JSONBody.errorResponse(
                .internalServerError, code: "internal_error", message: "the server failed; see its log")
        }
    }

    /// The JSON answer for one of Hummingbird's errors (unknown route, undecodable body, ...).
    static func response(for error: HTTPError, request: Request) -> Response {
        let path = String(request.uri.path.prefix(100))
        switch error.status {
        case .notFound where path.hasPrefix("/v1/") && Endpoint(path: path) != nil:
            var response = JSONBody.errorResponse(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(path) accepts POST only (got \(request.method.rawValue))")
            response.headers[.allow] = "POST"
            return response
        case .notFound:
            return JSONBody.errorResponse(
                .notFound, code: "not_found",
                message: "no such path: \(request.method.rawValue) \(path); see the README for the Tracking API and "
                    + "/admin routes")
        case .badRequest:
            return JSONBody.errorResponse(
                .badRequest, code: "invalid_request",
                message: "the request body is not the JSON this route takes: \(error.body ?? "invalid body")")
        case .contentTooLarge:
            return JSONBody.errorResponse(
                .contentTooLarge, code: "payload_too_large", message: error.body ?? "the request body is too large")
        default:
            let code = error.status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_")
            return JSONBody.errorResponse(
                error.status, code: code.isEmpty ? "http_\(error.status.code)" : code,
                message: error.body ?? error.status.reasonPhrase)
        }
    }
}
