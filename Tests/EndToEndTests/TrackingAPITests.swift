import Foundation
import SluiceTesting
import Testing

/// Raw HTTP requests against the real server: auth forms, content types, paths, limits, validation, quarantine,
/// and hostile bodies. One server for the suite; every request uses fresh messageIds.
@Suite(.serialized) final class TrackingAPITests {
    let server: SluiceServerProcess

    init() async throws {
        server = try await SluiceServerProcess.start()
    }

    deinit { server.stop() }

    func track(_ id: String, extra: String = "") -> String {
        #"{"type":"track","event":"Signed Up","userId":"u-1","messageId":"\#(id)","properties":{"plan":"pro"}\#(extra)}"#
    }

    func expectError(
        _ reply: HTTP.Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "status \(reply.status): \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.json?["code"] as? String == code, "body \(reply.text)", sourceLocation: sourceLocation)
        #expect((reply.json?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func authFormsAreAccepted() async throws {
        let withColon = try await HTTP.post(
            server.url + "/v1/track", json: track("auth-1"), headers: [HTTP.basic(server.writeKey)])
        #expect(withColon.status == 200)
        #expect(withColon.text == #"{"success":true}"#)
        let withoutColon = try await HTTP.post(
            server.url + "/v1/track", json: track("auth-2"), headers: [HTTP.basic(server.writeKey, colon: false)])
        #expect(withoutColon.status == 200)
        let bodyKey = try await HTTP.post(
            server.url + "/v1/track", json: track("auth-3", extra: #","writeKey":"\#(server.writeKey)""#))
        #expect(bodyKey.status == 200)
        let batchKey = try await HTTP.post(
            server.url + "/v1/batch", json: #"{"batch":[\#(track("auth-4"))],"writeKey":"\#(server.writeKey)"}"#)
        #expect(batchKey.status == 200)
    }

    @Test func unknownMissingAndMalformedKeysAreRejected() async throws {
        expectError(
            try await HTTP.post(
                server.url + "/v1/track", json: track("k-1"), headers: [HTTP.basic("not-a-key-000000")]), 401,
            "unknown_write_key")
        expectError(try await HTTP.post(server.url + "/v1/track", json: track("k-2")), 401, "missing_write_key")
        expectError(
            try await HTTP.post(
                server.url + "/v1/track", json: track("k-3"), headers: [("Authorization", "Basic %%%")]), 401,
            "invalid_authorization")
    }

    @Test func textPlainShortPathsAndImportWithGzipAreAccepted() async throws {
        let key = HTTP.basic(server.writeKey)
        let plain = try await HTTP.request(
            "POST", server.url + "/v1/t", headers: [("Content-Type", "text/plain"), key],
            body: Array(track("short-t").utf8))
        #expect(plain.status == 200)
        for (path, body) in [
            ("/v1/i", #"{"userId":"u","traits":{"a":1},"messageId":"short-i"}"#),
            ("/v1/p", #"{"anonymousId":"a","name":"Home","messageId":"short-p"}"#),
            ("/v1/s", #"{"userId":"u","name":"Main","messageId":"short-s"}"#),
            ("/v1/g", #"{"userId":"u","groupId":"g","messageId":"short-g"}"#),
            ("/v1/a", #"{"userId":"u","previousId":"p","messageId":"short-a"}"#),
            ("/v1/b", #"{"batch":[\#(track("short-b"))]}"#),
        ] {
            let reply = try await HTTP.post(server.url + path, json: body, headers: [key])
            #expect(reply.status == 200, "\(path): \(reply.text)")
        }
        let gz = try gzip(Array(#"{"batch":[\#(track("import-1")),\#(track("import-2"))]}"#.utf8))
        let imported = try await HTTP.request(
            "POST", server.url + "/v1/import", headers: [("Content-Encoding", "gzip"), key], body: gz)
        #expect(imported.status == 200, "\(imported.text)")
        try server.flush()
        let ids = Set(try ArchiveSnapshot.read(server.bucket).messageIDs)
        for id in ["short-t", "short-i", "short-p", "short-s", "short-g", "short-a", "short-b", "import-1", "import-2"]
        {
            #expect(ids.contains(id), "\(id) archived")
        }
    }

    @Test func limitsAreEnforcedWithJSONErrors() async throws {
        let key = HTTP.basic(server.writeKey)
        let big = String(repeating: "x", count: 33 * 1024)
        let oversizedSingle = try await HTTP.post(
            server.url + "/v1/track", json: track("lim-1", extra: #","pad":"\#(big)""#), headers: [key])
        #expect([400, 413].contains(oversizedSingle.status), "\(oversizedSingle.status)")
        #expect(oversizedSingle.json?["code"] != nil)
        let chunk = String(repeating: "y", count: 20 * 1024)
        let items = (0..<26).map { track("lim-big-\($0)", extra: #","pad":"\#(chunk)""#) }.joined(separator: ",")
        let oversizedBatch = try await HTTP.post(
            server.url + "/v1/batch", json: #"{"batch":[\#(items)]}"#, headers: [key])
        expectError(oversizedBatch, 413, "payload_too_large")
        let many = (0..<2501).map { #"{"type":"track","event":"e","userId":"u","messageId":"lim-n-\#($0)"}"# }.joined(
            separator: ",")
        expectError(
            try await HTTP.post(server.url + "/v1/batch", json: #"{"batch":[\#(many)]}"#, headers: [key]), 400,
            "too_many_events")
        let atLimit = (0..<2500).map { #"{"type":"track","event":"e","userId":"u","messageId":"lim-ok-\#($0)"}"# }
            .joined(separator: ",")
        #expect(
            try await HTTP.post(server.url + "/v1/batch", json: #"{"batch":[\#(atLimit)]}"#, headers: [key]).status
                == 200)
    }

    @Test(arguments: [
        ("/v1/track", #"{"userId":"u","messageId":"v-1"}"#, "missing_event"),
        ("/v1/track", #"{"event":"e","messageId":"v-2"}"#, "missing_identity"),
        ("/v1/group", #"{"userId":"u","messageId":"v-3"}"#, "missing_group_id"),
        ("/v1/alias", #"{"userId":"u","messageId":"v-4"}"#, "missing_previous_id"),
        ("/v1/alias", #"{"previousId":"p","anonymousId":"a","messageId":"v-5"}"#, "missing_user_id"),
        ("/v1/track", #"{"event":"e","userId":null,"anonymousId":null}"#, "missing_identity"),
        ("/v1/track", "not json", "invalid_json"),
        ("/v1/track", #"{"event":"e","userId":"u""#, "invalid_json"),
        ("/v1/batch", #"{"batch":{}}"#, "invalid_batch"),
    ])
    func invalidSingleCallsAreRejected(path: String, body: String, code: String) async throws {
        let reply = try await HTTP.post(server.url + path, json: body, headers: [HTTP.basic(server.writeKey)])
        expectError(reply, 400, code)
    }

    @Test func invalidEventsInABatchAreQuarantinedAndTheRestAccepted() async throws {
        let body =
            #"{"batch":[\#(track("q-ok-1")),{"type":"track","userId":"u","messageId":"q-bad-1"},{"type":"bogus","userId":"u"},\#(track("q-ok-2"))]}"#
        let reply = try await HTTP.post(server.url + "/v1/batch", json: body, headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200)
        #expect(reply.json?["success"] as? Bool == true)
        let rejected = try #require(reply.json?["rejected"] as? [[String: Any]])
        #expect(rejected.compactMap { $0["index"] as? Int } == [1, 2])
        let listed = try server.cli(["quarantine", "list", "default", "--json"])
        #expect(listed.status == 0)
        #expect(
            listed.output.contains("q-bad-1") && listed.output.contains("missing_event")
                && listed.output.contains("bogus"))
        try server.flush()
        let ids = Set(try ArchiveSnapshot.read(server.bucket).messageIDs)
        #expect(ids.isSuperset(of: ["q-ok-1", "q-ok-2"]))
        #expect(!ids.contains("q-bad-1"))
    }

    @Test func corruptTruncatedAndBombGzipBodiesAreRejected() async throws {
        let key = HTTP.basic(server.writeKey)
        let headers = [("Content-Encoding", "gzip"), key]
        expectError(
            try await HTTP.request(
                "POST", server.url + "/v1/batch", headers: headers, body: Array("definitely not gzip".utf8)), 400,
            "invalid_gzip")
        let good = try gzip(Array(#"{"batch":[\#(track("gz-trunc"))]}"#.utf8))
        expectError(
            try await HTTP.request(
                "POST", server.url + "/v1/batch", headers: headers, body: Array(good.prefix(good.count - 6))), 400,
            "invalid_gzip")
        let bomb = try gzip([UInt8](repeating: UInt8(ascii: " "), count: 200 << 20))
        #expect(bomb.count < 400 * 1024)
        expectError(
            try await HTTP.request("POST", server.url + "/v1/batch", headers: headers, body: bomb), 413,
            "payload_too_large")
        // The server is unharmed.
        #expect(try await HTTP.post(server.url + "/v1/track", json: track("gz-after"), headers: [key]).status == 200)
    }

    @Test func unknownPathsAnswer404JSON() async throws {
        expectError(
            try await HTTP.post(server.url + "/v1/nope", json: "{}", headers: [HTTP.basic(server.writeKey)]), 404,
            "not_found")
    }

    @Test func adminAPINeedsTheToken() async throws {
        expectError(try await HTTP.request("POST", server.url + "/admin/flush"), 401, "admin_token_required")
        expectError(
            try await HTTP.request("POST", server.url + "/admin/flush", headers: [("Authorization", "Bearer wrong")]),
            401, "admin_token_required")
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = try TemporaryDirectory("gz")
        defer { dir.remove() }
        let input = dir.path + "/in"
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let result = try runCommand("/usr/bin/env", ["gzip", "-k", "-n", input])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: input + ".gz")))
    }
}
