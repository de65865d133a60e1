import Foundation

/// The real `sluice` binary started by a test on a free port with its own data directory.
///
/// ```swift
/// let server = try await SluiceServerProcess.start()
/// defer { server.stop() }
/// let reply = try await HTTP.post(server.url + "/v1/track", json: body, headers: [HTTP.basic(server.writeKey)])
/// ```
public final class SluiceServerProcess: @unchecked Sendable {
    public let port: Int
    public let dataDirectory: String
    public private(set) var process: ChildProcess
    public let writeKey: String
    let extraArguments: [String]
    /// Added to the environment of the server and of `cli` commands (`SLUICE_CATALOG`, `PGPASSWORD`).
    public let environment: [String: String]

    /// `https://...` when the server was started with `--tls-cert`.
    public var url: String { "\(Self.isTLS(extraArguments) ? "https" : "http")://127.0.0.1:\(port)" }
    public var bucket: String { dataDirectory + "/bucket" }

    init(
        port: Int, dataDirectory: String, process: ChildProcess, writeKey: String, extraArguments: [String],
        environment: [String: String]
    ) {
        self.environment = environment
        self.port = port
        self.dataDirectory = dataDirectory
        self.process = process
        self.writeKey = writeKey
        self.extraArguments = extraArguments
    }

    /// The `sluice` executable built next to the test bundle.
    public static var binaryPath: String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return PackageRoot.path + "/.build/debug/sluice"
    }

    /// Starts a server on a new data directory (or `dataDirectory`), waits until `/health` says ready, and reads the
    /// default source's write key from its first-start output.
    /// `openFilesLimit` starts it under `prlimit --nofile` (util-linux), for tests of running out of descriptors.
    public static func start(
        dataDirectory: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
        openFilesLimit: Int? = nil
    ) async throws -> SluiceServerProcess {
        let directory = try dataDirectory ?? TemporaryDirectory("sluice-e2e").path
        let port = try FreePort.allocate()
        let environment = withClusterSecretKey(environment)
        let process = try launch(
            port: port, dataDirectory: directory, arguments: arguments, environment: environment,
            openFilesLimit: openFilesLimit)
        try await waitReady(port: port, process: process, tls: isTLS(arguments))
        let key = try await defaultWriteKey(dataDirectory: directory, output: process.log(), environment: environment)
        return SluiceServerProcess(
            port: port, dataDirectory: directory, process: process, writeKey: key, extraArguments: arguments,
            environment: environment)
    }

    /// A PostgreSQL catalog needs the same `SLUICE_SECRET_KEY` on every node to store static destination secrets:
    /// nodes of a test cluster get this one unless the test gives its own (or sets it empty).
    public static func withClusterSecretKey(_ environment: [String: String]) -> [String: String] {
        guard environment["SLUICE_CATALOG"]?.hasPrefix("postgres") == true, environment["SLUICE_SECRET_KEY"] == nil
        else { return environment }
        var result = environment
        result["SLUICE_SECRET_KEY"] = clusterSecretKey
        return result
    }

    /// 32 bytes as base64: the test clusters' shared secret key.
    public static let clusterSecretKey = "c2x1aWNlLXRlc3QtY2x1c3Rlci1zZWNyZXQta2V5ISE="

    static func launch(
        port: Int, dataDirectory: String, arguments: [String], environment: [String: String],
        openFilesLimit: Int? = nil
    ) throws -> ChildProcess {
        let serve = ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--data-dir", dataDirectory] + arguments
        if let openFilesLimit {
            return try ChildProcess.launch(
                "/usr/bin/prlimit", ["--nofile=\(openFilesLimit):\(openFilesLimit)", binaryPath] + serve,
                environment: environment, logName: "sluice-serve")
        }
        return try ChildProcess.launch(binaryPath, serve, environment: environment, logName: "sluice-serve")
    }

    static func isTLS(_ arguments: [String]) -> Bool { arguments.contains("--tls-cert") }

    static func waitReady(port: Int, process: ChildProcess, tls: Bool = false) async throws {
        try await Poll.until("sluice on port \(port) to be ready", timeout: .seconds(60)) {
            guard process.isRunning else { throw TestSupportError("sluice exited early:\n\(process.log())") }
            guard FreePort.isListening(port) else { return false }
            // The shared HTTP client trusts no test certificate: a TLS server is ready once it says it listens.
            if tls { return process.log().contains("listening on https://") }
            // Recovered: `ok` or `degraded` (200), or `unavailable` (503: running, but its spool refuses events).
            guard let health = try? await HTTP.request("GET", "http://127.0.0.1:\(port)/health") else { return false }
            return health.status == 200 || health.json?["status"] as? String == "unavailable"
        }
    }

    static func defaultWriteKey(dataDirectory: String, output: String, environment: [String: String]) async throws
        -> String
    {
        if let line = output.split(separator: "\n").first(where: { $0.contains("Its write key: ") }),
            let key = line.components(separatedBy: "Its write key: ").last
        {
            return key.trimmingCharacters(in: .whitespaces)
        }
        let listed = try runCommand(
            binaryPath, ["sources", "list", "--json", "--data-dir", dataDirectory], environment: environment)
        guard let data = listed.output.data(using: .utf8),
            let array = try? JSONSerialization.jsonObject(with: Data(data)) as? [[String: Any]],
            let key = array.first(where: { $0["name"] as? String == "default" })?["writeKey"] as? String
        else { throw TestSupportError("no default source:\n\(listed.output)") }
        return key
    }

    /// Starts the same server again on the same data directory and port (after `kill` or `stop`).
    public func restart() async throws {
        process = try Self.launch(
            port: port, dataDirectory: dataDirectory, arguments: extraArguments, environment: environment)
        try await Self.waitReady(port: port, process: process, tls: Self.isTLS(extraArguments))
    }

    /// The admin token (`{data-dir}/admin-token`).
    public func adminToken() throws -> String {
        try String(contentsOfFile: dataDirectory + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `GET /metrics` with the admin token.
    public func metrics() async throws -> String {
        try await HTTP.request("GET", url + "/metrics", headers: [("Authorization", "Bearer \(try adminToken())")]).text
    }

    /// `sluice flush` against this server.
    public func flush() throws {
        let result = try runCommand(Self.binaryPath, ["flush", "--url", url, "--data-dir", dataDirectory])
        guard result.status == 0 else { throw TestSupportError("sluice flush failed: \(result.output)") }
    }

    /// Runs another `sluice` subcommand against this data directory.
    public func cli(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runCommand(Self.binaryPath, arguments + ["--data-dir", dataDirectory], environment: environment)
    }

    /// Graceful stop (SIGTERM) and wait.
    public func stop() {
        process.terminate(grace: .seconds(30))
    }

    /// Crash: SIGKILL.
    public func kill() {
        process.kill(SIGKILL)
    }

    /// Every `.gz` file under the local bucket, relative to it, sorted.
    public func bucketFiles() -> [String] {
        let root = URL(fileURLWithPath: bucket)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".gz") }.sorted()
    }
}

/// The package's root directory (for scripts under `scripts/testing`).
public enum PackageRoot {
    public static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return FileManager.default.currentDirectoryPath
    }()
}
