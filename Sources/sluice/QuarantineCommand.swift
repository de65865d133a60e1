import ArgumentParser
import Foundation

struct Quarantine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect events that were rejected inside otherwise valid batches.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a source's quarantined events, newest first.")
        @Argument(help: "Source id or name.") var source: String
        @Option(help: "How many to show.") var limit = 50
        @Flag(help: "Print JSON lines.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let (found, events) = try await withCatalog(data) { catalog in
                guard let found = try await catalog.source(idOrName: source) else {
                    throw ValidationError("no source '\(source)'; see `sluice sources list`")
                }
                return (found, try await catalog.quarantined(sourceID: found.id, limit: limit))
            }
            for event in events {
                let raw = String(decoding: event.raw, as: UTF8.self)
                if json {
                    let line: [String: String] = [
                        "index": "\(event.index)", "code": event.code, "message": event.message,
                        "receivedAt": "\(event.receivedAtMilliseconds)", "raw": raw,
                    ]
                    print(try jsonText(line).replacingOccurrences(of: "\n", with: ""))
                } else {
                    print("#\(event.index) \(event.code): \(event.message)\n    \(raw.prefix(300))")
                }
            }
            if events.isEmpty && !json { print("no quarantined events for \(found.name)") }
        }
    }
}
