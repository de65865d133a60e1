import Hummingbird

/// Guards every console route but sign-in and the static assets: without a live session a page redirects to
/// `/console/sign-in` and a JSON route (`/console/api/...`) answers 401; a state-changing call (any method but GET
/// and HEAD) must also carry the session's CSRF token in `X-CSRF-Token`, else 403.
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = SluiceRequestContext
    let sessions: ConsoleSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let isAPI = request.uri.path.hasPrefix("/console/api/")
        guard let session = ConsoleAPI.session(of: request, in: sessions) else {
            guard isAPI else { return ConsoleAPI.noStore(.redirect(to: "/console/sign-in", type: .normal)) }
            return JSONBody.errorResponse(
                .unauthorized, code: "session_required", message: "sign in at /console/sign-in first")
        }
        if request.method != .get && request.method != .head {
            let presented = request.headers[ConsoleAPI.csrfHeader] ?? ""
            guard AdminTokenMiddleware.constantTimeEqual(Array(presented.utf8), Array(session.csrf.utf8)) else {
                return JSONBody.errorResponse(
                    .forbidden, code: "csrf_token_required",
                    message: "this call needs the session's CSRF token in X-CSRF-Token; reload the console page")
            }
        }
        return try await next(request, context)
    }
}
