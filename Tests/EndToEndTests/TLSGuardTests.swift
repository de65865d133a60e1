import Foundation
import SluiceTesting
import Testing

/// The connection guard on HTTPS: sockets that never finish a TLS handshake are closed and can be evicted by the
/// connection cap, and an early 413 over HTTP/2 is a real answer, not a stream reset.
@Suite(.serialized) struct TLSGuardTests {
    static func start(_ directory: String, openFilesLimit: Int? = nil, config: String? = nil) async throws
        -> SluiceServerProcess
    {
        let pair = try TLSTests.makeCertificate("sluice-guard", in: directory)
        var arguments = ["--tls-cert", pair.cert, "--tls-key", pair.key]
        if let config {
            let path = directory + "/sluice.json"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        return try await SluiceServerProcess.start(arguments: arguments, openFilesLimit: openFilesLimit)
    }

    @Test func aSocketThatNeverHandshakesIsClosed() async throws {
        let directory = try TemporaryDirectory("tls-guard")
        defer { directory.remove() }
        let server = try await Self.start(directory.path, config: #"{"http":{"headerTimeoutSeconds":1}}"#)
        defer { server.stop() }
        let result = try runCommand(
            "/usr/bin/env",
            ["python3", PackageRoot.path + "/scripts/testing/http_edges.py", "idle", "\(server.port)", "unused"])
        #expect(result.output.contains(#""closed": true"#), "\(result.output)")
        let metrics = try runCommand(
            "/usr/bin/env",
            [
                "curl", "-sS", "--insecure", "-H", "Authorization: Bearer \(try server.adminToken())",
                server.url + "/metrics",
            ]
        ).output
        #expect(metrics.contains(#"sluice_http_connections_timed_out_total{phase="handshake"}"#), "\(metrics)")
    }

    @Test func aFloodOfSocketsThatNeverHandshakeDoesNotStopHTTPS() async throws {
        let directory = try TemporaryDirectory("tls-flood")
        defer { directory.remove() }
        let server = try await Self.start(directory.path, openFilesLimit: 256)
        defer { server.stop() }
        // 400 plain TCP sockets that send nothing: past the cap of 128, idle ones are closed to make room.
        let flood = try runCommand(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import socket, subprocess, sys
                held = []
                for _ in range(400):
                    try:
                        c = socket.socket(); c.settimeout(2); c.connect(("127.0.0.1", \(server.port))); held.append(c)
                    except OSError:
                        pass
                r = subprocess.run(["curl", "-sS", "--insecure", "--max-time", "40", "-o", "/dev/null",
                                    "-w", "%{http_code}", "https://127.0.0.1:\(server.port)/health"],
                                   capture_output=True, text=True)
                print(len(held), r.stdout)
                """,
            ])
        let fields = flood.output.split(separator: "\n").last?.split(separator: " ") ?? []
        #expect(fields.count == 2 && (Int(fields[0]) ?? 0) >= 256, "\(flood.output)")
        #expect(fields.last == "200", "\(flood.output)")
    }

    @Test func anOversizedBodyOverHTTP2IsAnsweredNotReset() async throws {
        let directory = try TemporaryDirectory("tls-h2-413")
        defer { directory.remove() }
        let server = try await Self.start(directory.path)
        defer { server.stop() }
        let body = directory.path + "/big.json"
        try Data(repeating: UInt8(ascii: "x"), count: 2_000_000).write(to: URL(fileURLWithPath: body))
        let reply = try runCommand(
            "/usr/bin/env",
            [
                "curl", "-sS", "--insecure", "--http2", "--max-time", "30", "-u", server.writeKey + ":",
                "-H", "Content-Type: application/json", "--data-binary", "@" + body,
                "-w", " %{http_code} %{http_version}",
                server.url + "/v1/batch",
            ])
        #expect(reply.output.contains("payload_too_large"), "\(reply.output)")
        #expect(reply.output.hasSuffix(" 413 2"), "\(reply.output)")
    }
}
