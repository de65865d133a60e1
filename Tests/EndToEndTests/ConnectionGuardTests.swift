import Foundation
import SluiceTesting
import Testing

/// Hostile and broken clients against the real binary (raw sockets in scripts/testing/http_edges.py): timeouts
/// free stalled connections, a flood of idle sockets past the open-files limit does not stop service, oversized
/// bodies are refused before they are read, and broken framing is the client's 400, not a 503.
@Suite(.serialized) final class ConnectionGuardTests {
    let server: SluiceServerProcess

    init() async throws {
        let config = try TemporaryDirectory("guard-config").path + "/sluice.json"
        try #"{"http":{"idleTimeoutSeconds":1,"headerTimeoutSeconds":1,"bodyTimeoutSeconds":1}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        server = try await SluiceServerProcess.start(arguments: ["--config", config])
    }

    deinit { server.stop() }

    func edge(_ name: String, on target: SluiceServerProcess? = nil, _ extra: [String] = []) throws -> [String: Any] {
        let target = target ?? server
        let script = PackageRoot.path + "/scripts/testing/http_edges.py"
        let result = try runCommand(
            "/usr/bin/env", ["python3", script, name, "\(target.port)", target.writeKey] + extra)
        let line = result.output.split(separator: "\n").last.map(String.init) ?? ""
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw TestSupportError("http_edges.py \(name) failed: \(result.output)") }
        return object
    }

    static func statuses(_ result: [String: Any]) -> [Int] { result["statuses"] as? [Int] ?? [] }
    static func code(_ result: [String: Any]) -> String? { (result["body"] as? [String: Any])?["code"] as? String }

    @Test(arguments: ["idle", "slow-header", "stalled-body"])
    func stalledConnectionsAreClosed(phase: String) throws {
        let result = try edge(phase)
        #expect(result["closed"] as? Bool == true, "\(result)")
    }

    @Test func timeoutsAreCountedByPhase() async throws {
        _ = try edge("slow-header")
        let metrics = try await server.metrics()
        #expect(metrics.contains(#"sluice_http_connections_timed_out_total{phase="header"}"#), "\(metrics)")
    }

    @Test func anOversizedDeclaredBodyIsRefusedWithoutAHundredContinue() throws {
        let result = try edge("expect-oversized")
        #expect(Self.statuses(result) == [413], "\(result)")
        #expect(Self.code(result) == "payload_too_large")
        #expect(result["closed"] as? Bool == true)
    }

    @Test func expectContinueIsHonoured() throws {
        let result = try edge("expect-small")
        #expect(Self.statuses(result) == [100, 200], "\(result)")
    }

    @Test func anOversizedBodyWithConnectionCloseGetsItsAnswer() throws {
        let result = try edge("oversized-close")
        #expect(Self.statuses(result) == [413], "\(result)")
        #expect(result["closed"] as? Bool == true)
    }

    @Test(arguments: ["bad-chunked", "cut-off"])
    func brokenBodiesAreTheClientsFault(name: String) async throws {
        let result = try edge(name)
        #expect(Self.statuses(result) == [400], "\(result)")
        #expect(Self.code(result) == "invalid_body")
        // Still serving, and nothing logged at error level for it.
        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"userId":"u","event":"after \#(name)"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200)
        #expect(!server.process.log().contains("error sluice"), "\(server.process.log())")
    }

    /// 400 idle sockets against an open-files limit of 256 stopped all service before the cap existed.
    @Test func aFloodOfIdleConnectionsPastTheOpenFilesLimitDoesNotStopService() async throws {
        let config = try TemporaryDirectory("flood-config").path + "/sluice.json"
        // A long idle timeout: what frees room here must be the cap, not the timeout.
        try #"{"http":{"idleTimeoutSeconds":600}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let flooded = try await SluiceServerProcess.start(arguments: ["--config", config], openFilesLimit: 256)
        defer { flooded.stop() }
        let result = try edge("flood", on: flooded, ["400"])
        #expect((result["opened"] as? Int ?? 0) >= 256, "\(result)")
        #expect(result["status"] as? Int == 200, "\(result)")
        #expect(flooded.process.log().contains("connection cap reached"))
        let metrics = try await flooded.metrics()
        #expect(metrics.contains("sluice_http_connection_cap_reached_total"))
    }
}
