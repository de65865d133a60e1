import Crypto
import Foundation

/// The data directory's layout and its small identity files.
public struct DataDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        self.path = (path as NSString).standardizingPath
    }

    public var catalogPath: String { path + "/catalog.sqlite" }
    public var spoolPath: String { path + "/spool" }
    public var bucketPath: String { path + "/bucket" }
    public var adminTokenPath: String { path + "/admin-token" }
    var nodeIDPath: String { path + "/node-id" }

    /// Creates the directory tree (owner-only permissions: it holds write keys and the admin token).
    public func create() throws {
        for dir in [path, spoolPath, bucketPath, path + "/staging/open"] {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// 12 hex characters naming this node in batch file names, created once.
    public func nodeID() throws -> String {
        try readOrCreate(nodeIDPath) { hex(bytes: 6) }
    }

    /// The admin API token, created once with mode 0600.
    public func adminToken() throws -> String {
        try readOrCreate(adminTokenPath) { hex(bytes: 24) }
    }

    /// Reads the admin token if it exists.
    public func existingAdminToken() -> String? {
        (try? String(contentsOfFile: adminTokenPath, encoding: .utf8)).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func readOrCreate(_ file: String, _ make: () -> String) throws -> String {
        if let existing = try? String(contentsOfFile: file, encoding: .utf8) {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let value = make()
        guard
            FileManager.default.createFile(
                atPath: file, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigurationError(message: "cannot write \(file); check the data directory's permissions")
        }
        return value
    }

    func hex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Version and the 7-hex build id used in batch file names.
public enum BuildInfo {
    public static let version = "0.1.0"
    /// Derived from the version, so files name the build that wrote them (Segment uses a git short SHA there).
    public static let buildID: String = {
        let digest = SHA256.hash(data: Data("sluice-\(version)".utf8))
        return String(digest.map { String(format: "%02x", $0) }.joined().prefix(7))
    }()
}
