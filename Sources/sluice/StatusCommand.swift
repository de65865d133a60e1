import ArgumentParser
import Foundation
import SluiceApp

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a running server's status: health, backlog, unstored batches, catalog, duplicates dropped.")
    @Option(help: "Base URL of the running server.") var url = "http://127.0.0.1:8080"
    @Option(help: "Admin token (default: read from {data-dir}/admin-token).") var token: String?
    @Flag(help: "Print the server's JSON as it is.") var json = false
    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        guard let token = token ?? DataDirectory(data.dataDirectory).existingAdminToken() else {
            throw ValidationError("no admin token: pass --token or --data-dir of the server")
        }
        let text = try await AdminClient(baseURL: url, token: token).status()
        if json {
            print(text)
            return
        }
        guard let status = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ValidationError("the server's status is not JSON: \(text.prefix(200))")
        }
        for line in Self.lines(status) { print(line) }
    }

    /// The status as lines a person reads.
    static func lines(_ status: [String: Any]) -> [String] {
        func int(_ key: String) -> Int { status[key] as? Int ?? 0 }
        var lines = [
            "status: \(status["status"] as? String ?? "unknown")",
            "open batches: \(int("openBatches")); unstored batches: \(int("unstoredBatches"))",
            "spool backlog: \(int("backlogBytes")) bytes; writer backlog: \(int("writerBacklogBytes")) bytes",
        ]
        if let catalog = status["catalog"] as? [String: Any] {
            lines.append("catalog: \(catalog["status"] as? String ?? "unknown")")
        }
        if let error = status["lastStoreError"] as? String { lines.append("last store error: \(error)") }
        if let refusal = status["spoolRefusalMessage"] as? String { lines.append("spool refuses events: \(refusal)") }
        let bySource = status["duplicatesDroppedBySource"] as? [String: Int] ?? [:]
        lines.append("duplicates dropped: \(int("duplicatesDropped"))")
        for (source, count) in bySource.sorted(by: { $0.key < $1.key }) { lines.append("  \(source): \(count)") }
        return lines
    }
}
