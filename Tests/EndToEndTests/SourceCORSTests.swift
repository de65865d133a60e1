import Foundation
import SluiceTesting
import Testing

/// Per-source CORS allow-lists (`sluice sources cors`) on the real server: a source's list replaces
/// `http.cors.allowOrigins` for its write keys, in both directions; preflights (no key) are answered for any origin
/// some list allows; bad input changes nothing.
@Suite(.serialized) struct SourceCORSTests {
    static let shop = "http://127.0.0.1:5500"
    static let evil = "https://evil.example"

    func send(_ server: SluiceServerProcess, origin: String?, key: String, id: String) async throws -> HTTP.Reply {
        var headers = [("Content-Type", "text/plain")]
        if let origin { headers.append(("Origin", origin)) }
        return try await HTTP.request(
            "POST", server.url + "/v1/t", headers: headers,
            body: Array(
                #"{"type":"track","event":"e","anonymousId":"a","messageId":"\#(id)","writeKey":"\#(key)"}"#.utf8))
    }

    @Test func aSourcesListRefusesOtherOriginsForItsKeysOnly() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "shop", "--write-key", "shop-key-000001"]).status == 0)
        let none = try server.cli(["sources", "cors", "shop"])
        #expect(none.status == 0 && none.output.contains("http.cors.allowOrigins applies"), "\(none.output)")
        let set = try server.cli([
            "sources", "cors", "shop", "--allow-origin", Self.shop, "--allow-origin", "https://Shop.Example.com",
        ])
        #expect(set.status == 0, "\(set.output)")
        #expect(set.output.contains("origins allowed: \(Self.shop) https://shop.example.com"), "\(set.output)")

        try await Poll.until("the shop's list is enforced") {
            try await send(server, origin: Self.evil, key: "shop-key-000001", id: "poll").status == 403
        }
        let refused = try await send(server, origin: Self.evil, key: "shop-key-000001", id: "refused-1")
        #expect(refused.json?["code"] as? String == "origin_not_allowed", "\(refused.text)")
        #expect(refused.text.contains("sluice sources cors shop --allow-origin"), "\(refused.text)")
        #expect(refused.header("Access-Control-Allow-Origin") == nil)
        let listed = try await send(server, origin: Self.shop, key: "shop-key-000001", id: "listed-1")
        #expect(listed.status == 200 && listed.header("Access-Control-Allow-Origin") == Self.shop)
        #expect(listed.header("Vary") == "Origin")
        // Another source keeps the server's default (every origin); server SDKs send no Origin at all.
        #expect(try await send(server, origin: Self.evil, key: server.writeKey, id: "default-1").status == 200)
        #expect(try await send(server, origin: nil, key: "shop-key-000001", id: "sdk-1").status == 200)
        // A preflight carries no key: answered per the server's default.
        let preflight = try await HTTP.request(
            "OPTIONS", server.url + "/v1/t",
            headers: [("Origin", Self.evil), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 204 && preflight.header("Access-Control-Allow-Origin") == "*")

        for (arguments, message) in [
            (["shop", "--allow-origin", "shop.example.com/"], "is not an origin"),
            (["shop", "--allow-origin", "https://shop.example.com/path"], "is not an origin"),
            (["shop", "--any", "--clear"], "not several"),
            (["nosuchsource", "--any"], "no source 'nosuchsource'"),
        ] {
            let bad = try server.cli(["sources", "cors"] + arguments)
            #expect(bad.status != 0 && bad.output.contains(message), "\(arguments): \(bad.output)")
        }
        let shown = try server.cli(["sources", "cors", "shop", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        #expect(json["allowOrigins"] as? [String] == [Self.shop, "https://shop.example.com"], "\(shown.output)")

        #expect(try server.cli(["sources", "cors", "shop", "--clear"]).status == 0)
        try await Poll.until("the cleared list no longer applies") {
            try await send(server, origin: Self.evil, key: "shop-key-000001", id: "cleared-1").status == 200
        }
        try server.flush()
        let ids = Set(try ArchiveSnapshot.read(server.bucket).messageIDs)
        #expect(ids.isSuperset(of: ["listed-1", "default-1", "sdk-1", "cleared-1"]))
        #expect(!ids.contains("refused-1") && !ids.contains("poll"))
    }

    @Test func aSourcesListAllowsAnOriginTheServersListDoesNot() async throws {
        let directory = try TemporaryDirectory("source-cors")
        defer { directory.remove() }
        let config = directory.path + "/sluice.json"
        try #"{"http": {"cors": {"allowOrigins": ["\#(Self.shop)"]}}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(arguments: ["--config", config])
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "partner", "--write-key", "partner-key-0001"]).status == 0)
        let partner = "https://partner.example"
        #expect(try server.cli(["sources", "cors", "partner", "--allow-origin", partner]).status == 0)

        try await Poll.until("the partner's list is read") {
            try await send(server, origin: partner, key: "partner-key-0001", id: "partner-1").status == 200
        }
        let preflight = try await HTTP.request(
            "OPTIONS", server.url + "/v1/t", headers: [("Origin", partner), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 204 && preflight.header("Access-Control-Allow-Origin") == partner)
        let sent = try await send(server, origin: partner, key: "partner-key-0001", id: "partner-2")
        #expect(sent.status == 200 && sent.header("Access-Control-Allow-Origin") == partner)
        // The default source has no list of its own: the server's list refuses the partner's pages.
        let other = try await send(server, origin: partner, key: server.writeKey, id: "default-refused")
        #expect(other.status == 403 && other.json?["code"] as? String == "origin_not_allowed", "\(other.text)")
        #expect(other.text.contains("http.cors.allowOrigins"))
        let stranger = try await HTTP.request(
            "OPTIONS", server.url + "/v1/t",
            headers: [("Origin", Self.evil), ("Access-Control-Request-Method", "POST")])
        #expect(stranger.status == 403)
        #expect(try await send(server, origin: Self.evil, key: "partner-key-0001", id: "stranger-1").status == 403)

        // analytics-next loads its settings from the partner's page first: the key in the path names the source.
        let settings = try await HTTP.request(
            "GET", server.url + "/v1/projects/partner-key-0001/settings", headers: [("Origin", partner)])
        #expect(settings.status == 200 && settings.header("Access-Control-Allow-Origin") == partner, "\(settings.text)")
        let otherSettings = try await HTTP.request(
            "GET", server.url + "/v1/projects/\(server.writeKey)/settings", headers: [("Origin", partner)])
        #expect(otherSettings.status == 403)

        #expect(try server.cli(["sources", "cors", "partner", "--any"]).status == 0)
        try await Poll.until("--any allows every origin for the partner") {
            try await send(server, origin: Self.evil, key: "partner-key-0001", id: "any-1").status == 200
        }
        try server.flush()
        let ids = Set(try ArchiveSnapshot.read(server.bucket).messageIDs)
        #expect(ids.isSuperset(of: ["partner-1", "partner-2", "any-1"]))
        #expect(ids.isDisjoint(with: ["default-refused", "stranger-1"]))
    }
}
