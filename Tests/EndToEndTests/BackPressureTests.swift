import Foundation
import SluiceTesting
import Testing

/// When the spool cannot keep more (quota or free disk), the server answers 503 with Retry-After instead of
/// accepting what it cannot keep, and accepts again once stored batches free the spool.
@Suite(.serialized) struct BackPressureTests {
    func config(_ json: String) throws -> String {
        let dir = try TemporaryDirectory("config")
        let path = dir.path + "/sluice.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func post(_ server: SluiceServerProcess, _ id: String) async throws -> HTTP.Reply {
        let pad = String(repeating: "p", count: 8000)
        return try await HTTP.post(
            server.url + "/v1/batch",
            json:
                #"{"batch":[{"type":"track","event":"e","userId":"u","messageId":"\#(id)","properties":{"pad":"\#(pad)"}}]}"#,
            headers: [HTTP.basic(server.writeKey)])
    }

    @Test func spoolQuotaAnswers503ThenRecoversAfterFlush() async throws {
        let path = try config(#"{"spool": {"maxBytes": 200000, "segmentBytes": 16384}}"#)
        let server = try await SluiceServerProcess.start(arguments: ["--config", path])
        defer { server.stop() }
        var accepted: [String] = []
        var refused: HTTP.Reply? = nil
        for n in 0..<100 {
            let reply = try await post(server, "quota-\(n)")
            if reply.status == 200 {
                accepted.append("quota-\(n)")
            } else {
                refused = reply
                break
            }
        }
        let reply = try #require(refused, "the quota never pushed back")
        #expect(reply.status == 503)
        #expect(reply.header("Retry-After") != nil)
        #expect(reply.json?["code"] as? String == "overloaded")
        #expect(accepted.count >= 10)
        try server.flush()
        try await Poll.until("the spool to accept again", timeout: .seconds(20)) {
            try await post(server, "quota-after").status == 200
        }
        try server.flush()
        let ids = try ArchiveSnapshot.read(server.bucket).messageIDs
        #expect(Set(ids) == Set(accepted + ["quota-after"]))
        #expect(ids.count == accepted.count + 1)
    }

    @Test func lowFreeDiskAnswers503() async throws {
        let path = try config(#"{"spool": {"minFreeDiskBytes": 1000000000000000}}"#)
        let server = try await SluiceServerProcess.start(arguments: ["--config", path])
        defer { server.stop() }
        let reply = try await post(server, "disk-1")
        #expect(reply.status == 503)
        #expect(reply.header("Retry-After") != nil)
        #expect((reply.json?["message"] as? String)?.contains("disk") == true)
        // A load balancer's health check sends traffic elsewhere meanwhile.
        let health = try await HTTP.request("GET", server.url + "/health")
        #expect(health.status == 503)
        #expect(health.json?["status"] as? String == "unavailable")
    }
}
