import Foundation
import SluiceTesting
import Testing

/// `/metrics`: behind the admin token on the main address; without one on a separate `--metrics-listen` address.
@Suite(.serialized) struct MetricsTests {
    func adminToken(_ server: SluiceServerProcess) throws -> String {
        try String(contentsOfFile: server.dataDirectory + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func sendOne(_ server: SluiceServerProcess) async throws {
        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"userId":"u","event":"Counted","messageId":"\#(UUID().uuidString)"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200)
    }

    @Test func theMainAddressNeedsTheAdminToken() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        try await sendOne(server)
        let anonymous = try await HTTP.request("GET", server.url + "/metrics")
        #expect(anonymous.status == 401)
        #expect(anonymous.json?["code"] as? String == "admin_token_required", "\(anonymous.text)")
        #expect(!anonymous.text.contains("sluice_events_accepted_total"))
        let wrong = try await HTTP.request("GET", server.url + "/metrics", headers: [("Authorization", "Bearer nope")])
        #expect(wrong.status == 401)
        let scraped = try await HTTP.request(
            "GET", server.url + "/metrics", headers: [("Authorization", "Bearer \(try adminToken(server))")])
        #expect(scraped.status == 200)
        #expect(scraped.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(scraped.text.contains("sluice_events_accepted_total 1"), "\(scraped.text.prefix(2000))")
        // Health stays open for load balancers.
        #expect(try await HTTP.request("GET", server.url + "/health").status == 200)
    }

    @Test func aSeparateMetricsAddressServesWithoutAToken() async throws {
        let metricsPort = try FreePort.allocate()
        let server = try await SluiceServerProcess.start(arguments: ["--metrics-listen", "127.0.0.1:\(metricsPort)"])
        defer { server.stop() }
        try await sendOne(server)
        try await Poll.until("the metrics listener", timeout: .seconds(20)) { FreePort.isListening(metricsPort) }
        let scraped = try await HTTP.request("GET", "http://127.0.0.1:\(metricsPort)/metrics")
        #expect(scraped.status == 200)
        #expect(scraped.text.contains("sluice_events_accepted_total 1"), "\(scraped.text.prefix(2000))")
        #expect(try await HTTP.request("GET", "http://127.0.0.1:\(metricsPort)/health").status == 200)
        // Only metrics and health there: the Tracking API and the admin API are not.
        let tracking = try await HTTP.post("http://127.0.0.1:\(metricsPort)/v1/track", json: "{}")
        #expect(tracking.status == 404)
        // The main address still needs the token.
        #expect(try await HTTP.request("GET", server.url + "/metrics").status == 401)
        #expect(server.process.log().contains("metrics (no token) on http://127.0.0.1:\(metricsPort)/metrics"))
    }

    @Test(arguments: ["9090", "localhost", "127.0.0.1:0", "127.0.0.1:70000", "::1:9090"])
    func aBadMetricsAddressIsOneLineAndExitStatus2(address: String) throws {
        let directory = try TemporaryDirectory("metrics-bad")
        defer { directory.remove() }
        let run = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", directory.path + "/d",
                "--metrics-listen", address,
            ])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("HOST:PORT") && run.output.split(separator: "\n").count == 1, "\(run.output)")
    }
}
