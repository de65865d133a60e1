import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// moto's S3/IAM/STS server on 127.0.0.1 with a free port, for tests (`pip install 'moto[server]'`).
///
/// ```swift
/// let moto = try await MotoServer.start()
/// defer { moto.stop() }
/// try await moto.setAuthentication(enabled: true)   // after creating IAM users
/// ```
public final class MotoServer: Sendable {
    public let port: Int
    public let process: ChildProcess

    /// `http://127.0.0.1:PORT`
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    init(port: Int, process: ChildProcess) {
        self.port = port
        self.process = process
    }

    /// True when `moto_server` is on PATH.
    public static var isInstalled: Bool { which("moto_server") != nil }

    /// Starts moto and waits until it answers. `environment` adds settings such as `S3_UPLOAD_PART_MIN_SIZE`.
    public static func start(environment: [String: String] = [:]) async throws -> MotoServer {
        guard let executable = which("moto_server") else {
            throw TestSupportError("moto_server not found; pip install 'moto[server]' (scripts/deps/pip-test.txt)")
        }
        let port = try FreePort.allocate()
        let process = try ChildProcess.launch(
            executable, ["-H", "127.0.0.1", "-p", "\(port)"], environment: environment, logName: "moto")
        let server = MotoServer(port: port, process: process)
        do {
            try await Poll.until("moto on port \(port)", timeout: .seconds(30)) {
                guard process.isRunning else { throw TestSupportError("moto exited: \(process.log())") }
                return (try? await server.post("/moto-api/reset-auth", body: "inf")) != nil
            }
        } catch {
            process.terminate()
            throw error
        }
        return server
    }

    /// Switches SigV4 authentication and IAM policy checks on or off (`/moto-api/reset-auth`).
    public func setAuthentication(enabled: Bool) async throws {
        _ = try await post("/moto-api/reset-auth", body: enabled ? "0" : "inf")
    }

    /// Wipes every bucket, user and role.
    public func reset() async throws {
        _ = try await post("/moto-api/reset", body: "")
    }

    /// Requests moto has logged so far (`"PUT /bucket/key?partNumber=1 HTTP/1.1" 200`), one per line.
    public func requestLog() -> [String] {
        process.log().split(separator: "\n").map(String.init).filter { $0.contains("HTTP/1.1\"") }
    }

    public func stop() { process.terminate() }

    /// moto needs a text/plain body on its admin endpoints (a form body gets a 500).
    func post(_ path: String, body: String) async throws -> Data {
        guard let url = URL(string: endpoint + path) else { throw TestSupportError("bad moto URL \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 5
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestSupportError("moto \(path) answered \(response)")
        }
        return data
    }
}
