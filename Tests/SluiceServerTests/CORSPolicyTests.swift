import Hummingbird
import Testing

@testable import SluiceServer

@Suite("CORS policy")
struct CORSPolicyTests {
    @Test("every origin by default, answered with *; no Origin header means no CORS at all")
    func anyOrigin() throws {
        for configured in [[], ["*"]] {
            let policy = try CORSPolicy(allowOrigins: configured)
            #expect(policy == .anyOrigin)
            #expect(policy.decision(origin: "https://shop.example.com") == .allow("*"))
            #expect(policy.decision(origin: "null") == .allow("*"))
            #expect(policy.decision(origin: nil) == .notCrossOrigin)
        }
    }

    @Test("an allow-list echoes a listed origin (in any case) and refuses the others")
    func allowList() throws {
        let policy = try CORSPolicy(allowOrigins: ["https://Shop.example.com", "http://localhost:3000"])
        #expect(policy.decision(origin: "https://shop.example.com") == .allow("https://shop.example.com"))
        #expect(policy.decision(origin: "https://SHOP.example.com") == .allow("https://SHOP.example.com"))
        #expect(policy.decision(origin: "http://localhost:3000") == .allow("http://localhost:3000"))
        #expect(policy.decision(origin: "http://localhost:3001") == .refuse)
        #expect(policy.decision(origin: "http://shop.example.com") == .refuse)
        #expect(policy.decision(origin: "null") == .refuse)
        #expect(policy.decision(origin: nil) == .notCrossOrigin)
    }

    @Test(
        "entries that are not origins are refused with the entry named",
        arguments: [
            "shop.example.com", "https://shop.example.com/", "https://shop.example.com/path", "ftp://x.example",
            "https://", "https://shop.example.com:0", "https://shop.example.com:99999", "https://a b", "*.example.com",
            "https://[::1", "null",
        ])
    func invalidEntries(entry: String) {
        #expect(throws: CORSPolicyError.self) { try CORSPolicy(allowOrigins: [entry]) }
    }

    @Test("origins with ports and IPv6 literals are accepted")
    func validEntries() throws {
        for entry in ["http://127.0.0.1:8081", "https://[::1]:8443", "https://[2001:db8::1]", "HTTPS://A-B.example"] {
            let policy = try CORSPolicy(allowOrigins: [entry])
            #expect(policy.decision(origin: entry) == .allow(entry))
        }
        // "*" inside a list is not a wildcard: it is not an origin.
        #expect(throws: CORSPolicyError.self) { try CORSPolicy(allowOrigins: ["*", "*"]) }
    }

    @Test("a preflight answer lists what analytics.js sends and never allows credentials")
    func preflightHeaders() {
        let star = CORSPolicy.anyOrigin.preflightHeaders(allowing: "*")
        #expect(star[.accessControlAllowOrigin] == "*")
        #expect(star[.vary] == nil)
        #expect(star[.accessControlAllowCredentials] == nil)
        let methods = Set((star[.accessControlAllowMethods] ?? "").split(separator: ",").map { $0.trimmed })
        #expect(methods == ["POST", "GET", "OPTIONS"])
        let headers = Set((star[.accessControlAllowHeaders] ?? "").split(separator: ",").map { $0.trimmed })
        #expect(headers.isSuperset(of: ["Content-Type", "Authorization", "Content-Encoding", "X-Retry-Count"]))
        #expect(star[.accessControlMaxAge] == "7200")
        let echoed = CORSPolicy.anyOrigin.responseHeaders(allowing: "https://shop.example.com")
        #expect(echoed[.vary] == "Origin")
    }
}

extension Substring {
    fileprivate var trimmed: String { String(self.drop(while: { $0 == " " })) }
}
