import Foundation

/// A real process started by a test (a server under test, moto, radosgw, an SDK script), with its output in a
/// log file and guaranteed termination.
///
/// ```swift
/// let moto = try ChildProcess.launch("/usr/bin/env", ["moto_server", "-H", "127.0.0.1", "-p", "\(port)"])
/// defer { moto.terminate() }
/// ```
public final class ChildProcess: @unchecked Sendable {
    public let process: Process
    public let logURL: URL

    private init(process: Process, logURL: URL) {
        self.process = process
        self.logURL = logURL
    }

    /// Starts `executable` with `arguments`; stdout and stderr go to a temporary log file.
    public static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        logName: String? = nil
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let name = logName ?? URL(fileURLWithPath: executable).lastPathComponent
        let logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-test-\(name)-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process, logURL: logURL)
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// What the process printed so far.
    public func log() -> String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    public func terminate(grace: Duration = .seconds(5)) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now.advanced(by: grace)
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(SIGKILL) }
    }

    /// Sends a signal (SIGKILL for crash tests) and waits for the process to be gone.
    public func kill(_ signal: Int32) {
        guard process.isRunning else { return }
        _ = Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    public func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { terminate(grace: .seconds(1)) }
}

/// Runs a command to completion and returns its exit status and combined output.
public func runCommand(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    currentDirectory: URL? = nil
) throws -> (status: Int32, output: String) {
    let child = try ChildProcess.launch(
        executable, arguments, environment: environment, currentDirectory: currentDirectory)
    let status = child.wait()
    return (status, child.log())
}

/// Finds a program on PATH, or nil.
public func which(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(program)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
