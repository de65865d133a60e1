import Foundation
import SluiceTesting
import Testing

/// CORS on the Tracking API of the real server: preflights, the headers on answers (errors included), and an
/// allow-list from the config file that refuses other origins before anything is stored.
@Suite(.serialized) struct CORSTests {
    static let page = "http://127.0.0.1:5500"

    func event(_ id: String, writeKey: String) -> [UInt8] {
        Array(
            #"{"type":"track","event":"Clicked","anonymousId":"a-1","messageId":"\#(id)","writeKey":"\#(writeKey)"}"#
                .utf8)
    }

    @Test func everyOriginIsAllowedByDefaultWithoutCredentials() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        for path in ["/v1/t", "/v1/batch", "/v1/p"] {
            let preflight = try await HTTP.request(
                "OPTIONS", server.url + path,
                headers: [
                    ("Origin", Self.page), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type,x-retry-count"),
                ])
            #expect(preflight.status == 204, "\(path): \(preflight.status) \(preflight.text)")
            #expect(preflight.header("Access-Control-Allow-Origin") == "*")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
            let allowed = (preflight.header("Access-Control-Allow-Headers") ?? "").lowercased()
            #expect(allowed.contains("content-type") && allowed.contains("x-retry-count"), "\(allowed)")
            #expect(preflight.header("Access-Control-Allow-Credentials") == nil)
        }
        // analytics.js: text/plain, the write key in the body, an Origin header.
        let sent = try await HTTP.request(
            "POST", server.url + "/v1/t", headers: [("Origin", Self.page), ("Content-Type", "text/plain")],
            body: event("cors-1", writeKey: server.writeKey))
        #expect(sent.status == 200, "\(sent.text)")
        #expect(sent.header("Access-Control-Allow-Origin") == "*")
        #expect(sent.header("Access-Control-Allow-Credentials") == nil)
        // Errors carry the header too, so the page's code can read the JSON.
        let bad = try await HTTP.request(
            "POST", server.url + "/v1/t", headers: [("Origin", Self.page), ("Content-Type", "text/plain")],
            body: event("cors-2", writeKey: "no-such-key-00000000"))
        #expect(bad.status == 401)
        #expect(bad.header("Access-Control-Allow-Origin") == "*")
        // Server SDKs send no Origin and get no CORS headers.
        let server2server = try await HTTP.post(
            server.url + "/v1/track", json: String(decoding: event("cors-3", writeKey: server.writeKey), as: UTF8.self))
        #expect(server2server.status == 200)
        #expect(server2server.header("Access-Control-Allow-Origin") == nil)
        try server.flush()
        let ids = try ArchiveSnapshot.read(server.bucket).messageIDs
        #expect(Set(ids) == ["cors-1", "cors-3"])
    }

    @Test func anAllowListEchoesListedOriginsAndRefusesOthersStoringNothing() async throws {
        let directory = try TemporaryDirectory("cors-config")
        defer { directory.remove() }
        let config = directory.path + "/sluice.json"
        try #"{"http": {"cors": {"allowOrigins": ["\#(Self.page)"]}}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(arguments: ["--config", config])
        defer { server.stop() }

        let preflight = try await HTTP.request(
            "OPTIONS", server.url + "/v1/t",
            headers: [("Origin", Self.page), ("Access-Control-Request-Method", "POST")])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == Self.page)
        #expect(preflight.header("Vary") == "Origin")
        let listed = try await HTTP.request(
            "POST", server.url + "/v1/t", headers: [("Origin", Self.page), ("Content-Type", "text/plain")],
            body: event("listed-1", writeKey: server.writeKey))
        #expect(listed.status == 200)
        #expect(listed.header("Access-Control-Allow-Origin") == Self.page)

        let other = "http://127.0.0.1:5501"
        let refusedPreflight = try await HTTP.request(
            "OPTIONS", server.url + "/v1/t", headers: [("Origin", other), ("Access-Control-Request-Method", "POST")])
        #expect(refusedPreflight.status == 403)
        #expect(refusedPreflight.header("Access-Control-Allow-Origin") == nil)
        let refused = try await HTTP.request(
            "POST", server.url + "/v1/t", headers: [("Origin", other), ("Content-Type", "text/plain")],
            body: event("refused-1", writeKey: server.writeKey))
        #expect(refused.status == 403)
        #expect(refused.json?["code"] as? String == "origin_not_allowed", "\(refused.text)")
        #expect(refused.header("Access-Control-Allow-Origin") == nil)
        try server.flush()
        #expect(try ArchiveSnapshot.read(server.bucket).messageIDs == ["listed-1"])
    }

    @Test func anInvalidAllowListStopsTheServerWithTheEntryNamed() throws {
        let directory = try TemporaryDirectory("cors-bad")
        defer { directory.remove() }
        let config = directory.path + "/sluice.json"
        try #"{"http": {"cors": {"allowOrigins": ["shop.example.com/"]}}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let run = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", directory.path + "/data", "--config",
                config,
            ])
        #expect(run.status != 0)
        #expect(
            run.output.contains("http.cors.allowOrigins") && run.output.contains("shop.example.com/"), "\(run.output)")
    }
}
