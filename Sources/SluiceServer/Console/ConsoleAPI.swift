import Catalog
import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Pipeline

/// The web console under `/console/`: sign-in with the admin token, then the sources, live debugger and
/// destinations pages, and the JSON routes (`/console/api/...`) those pages call. Sessions live in memory; every
/// page is plain HTML with a script and style sheet served from here (no CDN).
///
/// ```swift
/// ConsoleAPI(adminToken: token, catalog: catalog, sources: sources, tap: tap, now: now, secureCookies: tls)
///     .register(on: router)
/// ```
public struct ConsoleAPI: Sendable {
    let adminToken: String
    let catalog: any CatalogStore
    let sources: SourceDirectory
    let tap: EventTap
    let destinations: ConsoleDelivery?
    /// The pipeline's health (spool backlog, unstored batches) for the overview; nil leaves that part out.
    let health: (@Sendable () -> PipelineHealth)?
    /// The catalog's node registry (the nodes page); nil shows no nodes.
    let nodes: (any NodeRegistry)?
    /// Users who sign in with a name and password (`sluice console users add`); nil: the admin token only.
    let users: (any ConsoleUserStore)?
    let throttle = SignInThrottle()
    let now: @Sendable () -> Int64
    let sessions: ConsoleSessions
    /// `Secure` on the session cookie: set when the console is served over TLS.
    let secureCookies: Bool

    public init(
        adminToken: String, catalog: any CatalogStore, sources: SourceDirectory, tap: EventTap,
        destinations: ConsoleDelivery?, health: (@Sendable () -> PipelineHealth)? = nil, nodes: (any NodeRegistry)? = nil,
        users: (any ConsoleUserStore)? = nil,
        now: @escaping @Sendable () -> Int64, secureCookies: Bool, sessions: ConsoleSessions? = nil
    ) {
        self.adminToken = adminToken
        self.catalog = catalog
        self.sources = sources
        self.tap = tap
        self.destinations = destinations
        self.health = health
        self.nodes = nodes
        self.users = users
        self.now = now
        self.secureCookies = secureCookies
        self.sessions = sessions ?? ConsoleSessions(now: now)
    }

    static let cookieName = "sluice_console"
    // A constant, valid field name: the initializer cannot fail for it.
    // swift-format-ignore: NeverForceUnwrap
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    public func register(on router: Router<SluiceRequestContext>) {
        let console = router.group("console")
        console.get { _, _ in Self.noStore(.redirect(to: "/console/overview")) }
        console.get("sign-in") { request, _ in
            if Self.session(of: request, in: sessions) != nil { return Self.noStore(.redirect(to: "/console/overview")) }
            return Self.page(.ok, ConsolePages.signIn(error: nil))
        }
        console.post("sign-in") { request, context in try await signIn(request, context: context) }
        console.get("assets/console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        console.get("assets/console.js") { _, _ in
            Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        }

        let guarded = console.group().add(middleware: ConsoleAuthMiddleware(sessions: sessions))
        for page in ConsolePages.Page.allCases {
            guarded.get(RouterPath(stringLiteral: page.rawValue)) { request, _ in
                guard let session = Self.session(of: request, in: sessions) else {
                    return Self.noStore(.redirect(to: "/console/sign-in"))
                }
                return Self.page(.ok, ConsolePages.render(page, csrf: session.csrf))
            }
        }
        guarded.post("api/sign-out") { request, _ in
            if let id = request.cookies[Self.cookieName]?.value { sessions.remove(id: id) }
            var response = JSONBody.response(.ok, JSONBody.success)
            response.setCookie(expiredCookie())
            return response
        }
        registerSources(on: guarded)
        registerSourceChanges(on: guarded)
        registerDebugger(on: guarded)
        registerDestinations(on: guarded)
        registerPolicy(on: guarded)
        registerOverview(on: guarded)
        registerArchive(on: guarded)
        guarded.get("api/nodes") { _, _ in try await catalogAnswer { try Self.json(try await nodes?.nodes() ?? []) } }
    }

    func expiredCookie() -> Cookie {
        Cookie(
            name: Self.cookieName, value: "", maxAge: 0, path: "/console", secure: secureCookies, httpOnly: true,
            sameSite: .strict)
    }

    /// The request's live session, from its cookie.
    static func session(of request: Request, in sessions: ConsoleSessions) -> ConsoleSessions.Session? {
        guard let id = request.cookies[cookieName]?.value else { return nil }
        return sessions.session(id: id)
    }

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            // Scripts and styles only from the console's own files: an injected tag would not run.
            .contentSecurityPolicy:
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ]
        headers[.xContentTypeOptions] = "nosniff"
        return noStore(Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html))))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .xContentTypeOptions: "nosniff", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func noStore(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        try AdminAPI.json(value, status: status)
    }
}
