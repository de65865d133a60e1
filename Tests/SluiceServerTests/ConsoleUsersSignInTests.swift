import Catalog
import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceTesting
import Testing

@testable import SluiceServer

/// Signing in with a user and password (stored by `sluice console users add`), the admin token still working, and
/// failed attempts throttled with 429 and `Retry-After`.
@Suite struct ConsoleUsersSignInTests {
    static func form(user: String, password: String) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return ByteBuffer(string: "user=\(encode(user))&token=\(encode(password))")
    }

    @Test func userAndPasswordSignInAndFailuresAreThrottled() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let hash = try ConsolePassword.hash("a long enough password")
            try await harness.catalog.addConsoleUser(
                ConsoleUser(name: "ada", passwordHash: hash, createdAtMilliseconds: 0))
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            func signIn(_ user: String, _ password: String) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(
                    uri: "/console/sign-in", method: .post, headers: headers, body: Self.form(user: user, password: password)
                ) { ($0.status, String(buffer: $0.body), $0.headers[.setCookie]) }
            }
            let (status, _, cookie) = try await signIn("ada", "a long enough password")
            #expect(status == .seeOther, "\(status)")
            let pair = String((cookie ?? "").split(separator: ";").first ?? "")
            try await client.execute(uri: "/console/overview", method: .get, headers: [.cookie: pair]) {
                #expect($0.status == .ok)
            }
            // The admin token still signs in, with the user field empty.
            #expect(try await signIn("", ConsoleHarness.adminToken).0 == .seeOther)
            // A wrong password and an unknown user get the same answer.
            let wrong = try await signIn("ada", "not the password at all")
            let unknown = try await signIn("nobody", "not the password at all")
            #expect(wrong.0 == .unauthorized && unknown.0 == .unauthorized)
            #expect(wrong.1.contains("Unknown user or wrong password.") && unknown.1.contains("Unknown user or wrong password."))
            #expect(wrong.2 == nil && !wrong.1.contains("a long enough password"))
            // Four more failures for ada (five in all) start the throttle: even the right password waits.
            for _ in 0..<4 { #expect(try await signIn("ada", "wrong wrong wrong").0 == .unauthorized) }
            try await client.execute(
                uri: "/console/sign-in", method: .post, headers: headers,
                body: Self.form(user: "ada", password: "a long enough password")
            ) { reply in
                #expect(reply.status == .tooManyRequests)
                #expect(Int(reply.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(String(buffer: reply.body).contains("Too many failed attempts"))
            }
            // Another user is not held up by ada's failures.
            #expect(try await signIn("", ConsoleHarness.adminToken).0 == .seeOther)
        }
    }

    @Test func throttleDoublesTheWaitAndASuccessClearsIt() {
        let throttle = SignInThrottle()
        let key = "ada|127.0.0.1"
        for n in 0..<SignInThrottle.freeFailures {
            #expect(throttle.wait(for: key, now: Int64(n)) == nil)
            throttle.record(success: false, for: key, now: Int64(n))
        }
        let last = Int64(SignInThrottle.freeFailures - 1)
        #expect(throttle.wait(for: key, now: last) == 1_000)
        #expect(throttle.wait(for: key, now: last + 1_000) == nil)
        throttle.record(success: false, for: key, now: last + 1_000)
        #expect(throttle.wait(for: key, now: last + 1_000) == 2_000)
        #expect(throttle.wait(for: "bob|127.0.0.1", now: last + 1_000) == nil)
        #expect(SignInThrottle.delay(afterFailures: 100) == SignInThrottle.maximumWaitMilliseconds)
        throttle.record(success: true, for: key, now: last + 5_000)
        #expect(throttle.wait(for: key, now: last + 5_000) == nil)
    }
}
