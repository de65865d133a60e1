import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import SluiceServer

/// Sign-in, the session cookie, the CSRF token and sign-out, through the live router.
@Suite struct ConsoleAuthTests {
    @Test func withoutASessionPagesRedirectToSignInAndJSONAnswers401() async throws {
        try await ConsoleHarness.withHarness { _, client in
            for path in ["/console/sources", "/console/debugger", "/console/destinations"] {
                for cookie in [nil, "sluice_console=" + String(repeating: "a", count: 64)] {
                    var headers: HTTPFields = [:]
                    if let cookie { headers[.cookie] = cookie }
                    try await client.execute(uri: path, method: .get, headers: headers) { reply in
                        #expect(reply.status == .seeOther, "\(path)")
                        #expect(reply.headers[.location] == "/console/sign-in")
                    }
                }
            }
            for (method, path) in [
                (HTTPRequest.Method.get, "/console/api/sources"), (.post, "/console/api/sources"),
                (.get, "/console/api/sources/default/quarantine"), (.post, "/console/api/sign-out"),
            ] {
                try await client.execute(uri: path, method: method) { reply in
                    #expect(reply.status == .unauthorized, "\(path)")
                    #expect((reply.json as? [String: Any])?["code"] as? String == "session_required")
                }
            }
            // The sign-in page and the assets need no session.
            try await client.execute(uri: "/console/sign-in", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/console/assets/console.js", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func aWrongTokenIsRefusedAndTheRightOneSetsAStrictHttpOnlyCookie() async throws {
        try await ConsoleHarness.withHarness { _, client in
            for token in ["", "wrong", ConsoleHarness.adminToken + "x", "<script>alert(1)</script>"] {
                try await client.execute(
                    uri: "/console/sign-in", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(
                        string: "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                ) { reply in
                    #expect(reply.status == .unauthorized)
                    #expect(reply.headers[.setCookie] == nil)
                    #expect(String(buffer: reply.body).contains("not the admin token"))
                    #expect(!String(buffer: reply.body).contains("<script>alert"))
                }
            }
            try await client.execute(
                uri: "/console/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=" + ConsoleHarness.adminToken)
            ) { reply in
                #expect(reply.status == .seeOther)
                #expect(reply.headers[.location] == "/console/overview")
                let cookie = try #require(reply.headers[.setCookie])
                let attributes = cookie.lowercased()
                #expect(attributes.contains("httponly") && attributes.contains("samesite=strict"), "\(cookie)")
                #expect(!attributes.contains("secure"), "plain HTTP: no Secure")
                let value = try #require(cookie.split(separator: ";").first?.split(separator: "=").last)
                #expect(value.count == 64 && value.allSatisfy(\.isHexDigit))
            }
        }
    }

    @Test func overTLSTheCookieIsSecure() async throws {
        try await ConsoleHarness.withHarness(secureCookies: true) { _, client in
            try await client.execute(
                uri: "/console/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=" + ConsoleHarness.adminToken)
            ) { reply in
                #expect(reply.headers[.setCookie]?.lowercased().contains("secure") == true)
            }
        }
    }

    @Test func stateChangingCallsWithoutTheCSRFTokenAre403AndChangeNothing() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            #expect(login.csrf.count == 64)
            var wrong = login.headers(csrf: false)
            for presented in [nil, "", String(repeating: "0", count: 64)] {
                wrong[ConsoleAPI.csrfHeader] = presented
                try await client.execute(
                    uri: "/console/api/sources", method: .post, headers: wrong,
                    body: ByteBuffer(string: #"{"name":"forged"}"#)
                ) { reply in
                    #expect(reply.status == .forbidden)
                    #expect((reply.json as? [String: Any])?["code"] as? String == "csrf_token_required")
                }
            }
            #expect(try await harness.catalog.source(idOrName: "forged") == nil)
            try await client.execute(
                uri: "/console/api/sign-out", method: .post, headers: login.headers(csrf: false)
            ) { #expect($0.status == .forbidden) }
            // Reads need no CSRF token.
            try await client.execute(uri: "/console/api/sources", method: .get, headers: login.headers(csrf: false)) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await ConsoleHarness.withHarness { _, client in
            let login = try await ConsoleLogin.signIn(client)
            try await client.execute(uri: "/console/api/sign-out", method: .post, headers: login.headers()) { reply in
                #expect(reply.status == .ok)
                #expect(reply.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/console/api/sources", method: .get, headers: login.headers()) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/console/sources", method: .get, headers: login.headers()) {
                #expect($0.status == .seeOther)
            }
        }
    }

    @Test func aPageCarriesItsCSRFTokenAndAPolicyThatRefusesInlineScripts() async throws {
        try await ConsoleHarness.withHarness { _, client in
            let login = try await ConsoleLogin.signIn(client)
            try await client.execute(uri: "/console/debugger", method: .get, headers: login.headers()) { reply in
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(String(buffer: reply.body).contains(login.csrf))
            }
        }
    }

    @Test func aSessionIdleTooLongIsGone() {
        let clock = Mutex<Int64>(0)
        let sessions = ConsoleSessions(idleMilliseconds: 1_000, now: { clock.withLock { $0 } })
        let session = sessions.create()
        #expect(session.id != session.csrf)
        clock.withLock { $0 = 999 }
        #expect(sessions.session(id: session.id)?.csrf == session.csrf)  // used: idle clock restarts
        clock.withLock { $0 = 1_998 }
        #expect(sessions.session(id: session.id) != nil)
        clock.withLock { $0 = 2_998 }
        #expect(sessions.session(id: session.id) == nil)
        #expect(sessions.session(id: "") == nil)
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (#"a"b'c&d"#, "a&quot;b&#39;c&amp;d"), ("plain", "plain"),
    ])
    func htmlEscaping(input: String, escaped: String) {
        #expect(HTML.escape(input) == escaped)
    }
}
