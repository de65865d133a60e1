import ArgumentParser
import Catalog
import Foundation
import SluiceApp

extension Quarantine {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-submit a source's quarantined events through a running server's Tracking API.",
            discussion: """
                Each event goes through the normal ingest path again (validation, enrichment, spool) with one of \
                the source's write keys, as a new receipt (receivedAt is now). Without --file the events are \
                replayed as they were quarantined (for events refused by a rule since fixed); with --file, the \
                corrected NDJSON of `sluice quarantine list --json`. The rows replayed are removed; an event the \
                server refuses again is quarantined again with its reason, so a second replay duplicates nothing.
                """)
        @Argument(help: "Source id or name.") var source: String
        @Option(help: "Only events received since then: 2026-12-01, 2026-12-01T10:00:00Z, or 24h / 7d ago.")
        var since: String?
        @Option(help: "Corrected events: NDJSON as `sluice quarantine list --json` prints it ('-' for stdin).")
        var file: String?
        @Flag(help: "Show what would be replayed; send and remove nothing.") var dryRun = false
        @Option(help: "Base URL of the running server.") var url = "http://127.0.0.1:8080"
        @Option(help: "How many quarantined events to replay at most.") var limit = 100_000
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let sinceMilliseconds = try since.map { try Self.parseSince($0, now: Date()) } ?? .min
            let fileItems = try file.map { path in try QuarantineReplay.items(ndjson: try Self.read(path)) }
            let (found, outcome, items) = try await withCatalog(data) { catalog in
                let found = try await existingSource(source, in: catalog)
                var items = fileItems ?? []
                var gone: [QuarantineReplay.Item] = []
                if fileItems != nil {
                    // A line whose row is no longer quarantined was replayed before: sending it again would
                    // archive the event twice.
                    let present = Set(
                        try await catalog.quarantineEntries(
                            sourceID: found.id, sinceMilliseconds: .min, limit: .max, newestFirst: false
                        ).map(\.id))
                    gone = items.filter { $0.rowID.map { !present.contains($0) } ?? false }
                    items.removeAll { $0.rowID.map { !present.contains($0) } ?? false }
                } else {
                    items = QuarantineReplay.items(
                        try await catalog.quarantineEntries(
                            sourceID: found.id, sinceMilliseconds: sinceMilliseconds, limit: limit, newestFirst: false))
                }
                guard !dryRun, !items.isEmpty else {
                    var outcome = QuarantineReplay.Outcome()
                    outcome.dryRun = dryRun
                    outcome.skipped = gone.map(\.label)
                    return (found, outcome, items)
                }
                guard let key = try await catalog.writeKeys(sourceID: found.id).first(where: \.isActive) else {
                    throw ValidationError("source \(found.name) has no active write key to replay with")
                }
                let replay = QuarantineReplay(baseURL: url, writeKey: key.key)
                var outcome = try await replay.run(items, sourceID: found.id, catalog: catalog)
                outcome.skipped = gone.map(\.label)
                return (found, outcome, items)
            }
            if json {
                print(try jsonText(outcome))
                return
            }
            for label in outcome.skipped { print("skipped \(label): no longer quarantined (replayed before?)") }
            if dryRun {
                for item in items {
                    print("would replay \(item.label): \(String(decoding: item.raw.prefix(200), as: UTF8.self))")
                }
                print("dry run: \(items.count) event(s) of \(found.name) would be replayed; nothing was sent")
                return
            }
            for rejection in outcome.stillInvalid {
                print("still invalid \(rejection.item): \(rejection.code): \(rejection.message) (quarantined again)")
            }
            print(
                "replayed \(outcome.submitted) event(s) of \(found.name): \(outcome.accepted) accepted, "
                    + "\(outcome.stillInvalid.count) still invalid; \(outcome.removedRows) quarantine row(s) removed")
        }

        static func read(_ path: String) throws -> String {
            if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read '\(path)'")
            }
            return String(decoding: data, as: UTF8.self)
        }

        /// `Nh` / `Nd` ago, a `YYYY-MM-DD` day (UTC midnight), or an RFC 3339 time; epoch milliseconds.
        static func parseSince(_ text: String, now: Date) throws -> Int64 {
            if let last = text.last, last == "h" || last == "d", let count = Int(text.dropLast()), count >= 0 {
                let seconds = Double(count) * (last == "h" ? 3_600 : 86_400)
                return Int64((now.timeIntervalSince1970 - seconds) * 1000)
            }
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
            formatter.formatOptions = [.withFullDate]
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
            throw ValidationError(
                "--since '\(text.prefix(40))' is not a time: use 2026-12-01, 2026-12-01T10:00:00Z, 24h or 7d")
        }
    }
}
