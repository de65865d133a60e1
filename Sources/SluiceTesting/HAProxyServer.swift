import Foundation

/// HAProxy from Debian (`apt-get install haproxy`) in front of local backends on 127.0.0.1, for tests: HTTP mode,
/// round robin per request, `/health` checks. The configuration is the README's sample.
///
/// ```swift
/// let proxy = try await HAProxyServer.start(backends: [8081, 8082, 8083])
/// defer { proxy.stop() }
/// ```
public final class HAProxyServer: Sendable {
    public let port: Int
    public let process: ChildProcess

    /// `http://127.0.0.1:PORT`
    public var url: String { "http://127.0.0.1:\(port)" }

    init(port: Int, process: ChildProcess) {
        self.port = port
        self.process = process
    }

    /// The configuration for `backends` (ports on 127.0.0.1), listening on `port`.
    public static func configuration(port: Int, backends: [Int]) -> String {
        var lines = [
            "global", "    maxconn 1024", "defaults", "    mode http", "    timeout connect 5s",
            "    timeout client 60s", "    timeout server 60s", "    option http-server-close",
            "    retries 3", "    option redispatch", "frontend sluice", "    bind 127.0.0.1:\(port)",
            "    default_backend nodes", "backend nodes", "    balance roundrobin",
            "    option httpchk GET /health", "    http-check expect status 200",
        ]
        for (n, backend) in backends.enumerated() {
            lines.append("    server node\(n) 127.0.0.1:\(backend) check inter 1s fall 2 rise 1")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Starts HAProxy in the foreground and waits until it listens.
    public static func start(backends: [Int]) async throws -> HAProxyServer {
        guard
            let executable = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw TestSupportError("haproxy not found; apt-get install haproxy (scripts/deps/apt-test.txt)") }
        let port = try FreePort.allocate()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-haproxy-\(UUID().uuidString.prefix(8)).cfg")
        try configuration(port: port, backends: backends).write(to: file, atomically: true, encoding: .utf8)
        let process = try ChildProcess.launch(executable, ["-f", file.path, "-db"], logName: "haproxy")
        try await Poll.until("haproxy on port \(port)", timeout: .seconds(20)) {
            guard process.isRunning else { throw TestSupportError("haproxy exited: \(process.log())") }
            return FreePort.isListening(port)
        }
        return HAProxyServer(port: port, process: process)
    }

    public func stop() { process.terminate() }
}
