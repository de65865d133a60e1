import Foundation
import SluiceTesting
import Testing

/// Every error is `{"code","message"}` JSON, and every Tracking API rejection is counted.
@Suite(.serialized) final class ErrorShapeTests {
    let server: SluiceServerProcess
    let token: String

    init() async throws {
        server = try await SluiceServerProcess.start()
        token = try String(contentsOfFile: server.dataDirectory + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { server.stop() }

    func expectError(
        _ reply: HTTP.Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "status \(reply.status): \(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect(reply.json?["code"] as? String == code, "body \(reply.text)", sourceLocation: sourceLocation)
        #expect((reply.json?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func unknownRoutesAndMethodsAnswerJSON() async throws {
        let get = try await HTTP.request("GET", server.url + "/v1/track")
        expectError(get, 405, "method_not_allowed")
        #expect(get.header("Allow") == "POST")
        expectError(try await HTTP.request("GET", server.url + "/nope"), 404, "not_found")
        expectError(
            try await HTTP.request("GET", server.url + "/admin/nope", headers: [("Authorization", "Bearer \(token)")]),
            404, "not_found")
        expectError(try await HTTP.request("DELETE", server.url + "/health"), 404, "not_found")
    }

    @Test func undecodableAdminBodiesAnswerJSON() async throws {
        let reply = try await HTTP.request(
            "POST", server.url + "/admin/sources",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: Array(#"{"nam":1}"#.utf8))
        expectError(reply, 400, "invalid_request")
        #expect(reply.json?["error"] == nil)
    }

    @Test(arguments: ["Bearer", "bearer", "BEARER", "BeArEr"])
    func theBearerSchemeIsCaseInsensitive(scheme: String) async throws {
        let reply = try await HTTP.request(
            "GET", server.url + "/admin/status", headers: [("Authorization", "\(scheme) \(token)")])
        #expect(reply.status == 200, "\(reply.text)")
        expectError(
            try await HTTP.request("GET", server.url + "/admin/status", headers: [("Authorization", "\(scheme) x")]),
            401, "admin_token_required")
    }

    @Test func anUnknownDestinationIsNotFoundForEveryVerb() async throws {
        let auth = ("Authorization", "Bearer \(token)")
        let json = ("Content-Type", "application/json")
        for (method, path, body) in [
            ("PATCH", "/admin/destinations/nope", #"{"region":"us-east-1"}"#),
            ("DELETE", "/admin/destinations/nope", nil),
            ("POST", "/admin/destinations/nope/enable", nil),
            ("POST", "/admin/destinations/nope/disable", nil),
        ] as [(String, String, String?)] {
            let reply = try await HTTP.request(
                method, server.url + path, headers: [auth, json], body: body.map { Array($0.utf8) })
            expectError(reply, 404, "not_found")
        }
    }

    @Test func everyTrackingRejectionIsCounted() async throws {
        let event = #"{"userId":"u","event":"e"}"#
        _ = try await HTTP.post(server.url + "/v1/track", json: event)
        _ = try await HTTP.post(
            server.url + "/v1/track", json: event, headers: [("Authorization", "Basic %%%")])
        _ = try await HTTP.post(server.url + "/v1/track", json: "{", headers: [HTTP.basic(server.writeKey)])
        let metrics = try await server.metrics()
        for code in ["missing_write_key", "invalid_authorization", "invalid_json"] {
            #expect(metrics.contains(#"sluice_requests_rejected_total{code="\#(code)"}"#), "\(code)")
        }
    }

    @Test func theCatalogIsPrivate() throws {
        for name in ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "admin-token"]
        where name.hasPrefix("admin") || name == "catalog.sqlite"
            || FileManager.default.fileExists(atPath: server.dataDirectory + "/" + name)
        {
            let attributes = try FileManager.default.attributesOfItem(atPath: server.dataDirectory + "/" + name)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "\(name)")
        }
    }
}
