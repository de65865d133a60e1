import Catalog
import Foundation
import Hummingbird
import NIOPosix

extension ConsoleAPI {
    /// `POST /console/sign-in` with the form fields `user` and `token`: an empty user signs in with the admin token
    /// (compared in constant time); a user name with that user's password (PBKDF2, checked off the cooperative
    /// pool; an unknown name costs the same derivation). Failures per (user, client address) are throttled
    /// (`SignInThrottle`): 429 with `Retry-After` while one must wait.
    func signIn(_ request: Request, context: SluiceRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        struct Form: Decodable {
            let user: String?
            let token: String?
        }
        let form = try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        let user = (form?.user ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let presented = form?.token ?? ""
        let key = user.prefix(64) + "|" + (context.peerIP ?? "")
        if let wait = throttle.wait(for: String(key), now: now()) {
            let seconds = (wait + 999) / 1000
            var response = Self.page(
                .tooManyRequests,
                ConsolePages.signIn(error: "Too many failed attempts: try again in \(seconds) s."))
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let accepted: Bool
        if user.isEmpty {
            let token = presented.trimmingCharacters(in: .whitespacesAndNewlines)
            accepted = AdminTokenMiddleware.constantTimeEqual(Array(token.utf8), Array(adminToken.utf8))
        } else {
            let stored = (try? await users?.consoleUser(name: user))?.passwordHash ?? ConsolePassword.unmatchable
            accepted =
                (try? await NIOThreadPool.singleton.runIfActive { ConsolePassword.verify(presented, against: stored) })
                ?? false
        }
        throttle.record(success: accepted, for: String(key), now: now())
        guard accepted else {
            let message =
                user.isEmpty
                ? "That is not the admin token (see {data-dir}/admin-token)."
                : "Unknown user or wrong password."
            return Self.page(.unauthorized, ConsolePages.signIn(error: message))
        }
        let session = sessions.create()
        var response = Self.noStore(.redirect(to: "/console/overview"))
        response.setCookie(
            Cookie(
                name: Self.cookieName, value: session.id, path: "/console", secure: secureCookies, httpOnly: true,
                sameSite: .strict))
        return response
    }
}
