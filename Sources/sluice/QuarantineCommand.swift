import ArgumentParser
import Catalog
import Foundation

struct Quarantine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and replay events that were rejected inside otherwise valid batches.",
        subcommands: [List.self, Replay.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a source's quarantined events, newest first.")
        @Argument(help: "Source id or name.") var source: String
        @Option(help: "How many to show.") var limit = 50
        @Flag(
            help: "Print JSON lines (with each row's id: edit `raw` and give the file to `quarantine replay --file`).")
        var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let (found, entries) = try await withCatalog(data) { catalog in
                let found = try await existingSource(source, in: catalog)
                return (
                    found,
                    try await catalog.quarantineEntries(
                        sourceID: found.id, sinceMilliseconds: .min, limit: limit, newestFirst: true)
                )
            }
            for entry in entries {
                let event = entry.event
                let raw = String(decoding: event.raw, as: UTF8.self)
                if json {
                    let line: [String: String] = [
                        "id": "\(entry.id)", "index": "\(event.index)", "code": event.code, "message": event.message,
                        "receivedAt": "\(event.receivedAtMilliseconds)", "raw": raw,
                    ]
                    print(try jsonText(line).replacingOccurrences(of: "\n", with: ""))
                } else {
                    print("#\(event.index) \(event.code): \(event.message)\n    \(raw.prefix(300))")
                }
            }
            if entries.isEmpty && !json { print("no quarantined events for \(found.name)") }
        }
    }
}
