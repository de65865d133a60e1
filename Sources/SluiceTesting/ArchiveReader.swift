import Foundation

/// What users' tools see in a bucket directory: read by `scripts/testing/read_archive.py` with Python's gzip module
/// and DuckDB, and checked with `gzip -t`.
public struct ArchiveSnapshot: @unchecked Sendable {
    public let files: [String]
    public let events: [[String: Any]]
    public let duckDBRows: Int
    public let duckDBMessageIDs: [String]

    public var messageIDs: [String] { events.compactMap { $0["messageId"] as? String } }

    /// Reads `directory`; throws if any file fails `gzip -t` or does not parse.
    public static func read(_ directory: String) throws -> ArchiveSnapshot {
        let result = try runCommand(
            "/usr/bin/env", ["python3", PackageRoot.path + "/scripts/testing/read_archive.py", directory])
        guard result.status == 0 else { throw TestSupportError("read_archive.py failed:\n\(result.output)") }
        guard let line = result.output.split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw TestSupportError("read_archive.py printed no JSON:\n\(result.output.prefix(2000))") }
        let files = object["files"] as? [String] ?? []
        for file in files {
            let check = try runCommand("/usr/bin/env", ["gzip", "-t", directory + "/" + file])
            guard check.status == 0 else { throw TestSupportError("gzip -t failed on \(file): \(check.output)") }
        }
        return ArchiveSnapshot(
            files: files, events: object["events"] as? [[String: Any]] ?? [],
            duckDBRows: object["duckdbRows"] as? Int ?? 0,
            duckDBMessageIDs: object["duckdbMessageIds"] as? [String] ?? [])
    }
}
