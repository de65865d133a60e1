import ArchiveFormat
import ArgumentParser
import Catalog
import Foundation
import Logging
import Logs
import SluiceApp

#if canImport(Glibc)
    import Glibc
#endif

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Read archived logs back: list days, sync files to disk, stream events.",
        discussion: """
            Reads the local bucket of --data-dir by default, or an S3 bucket with --bucket (credentials from the \
            usual AWS chain: environment, ~/.aws profiles, web identity, container or instance metadata).
            """,
        subcommands: [Days.self, Sync.self, Cat.self]
    )

    struct Days: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a source's day folders, newest last, with their UTC date, file count and bytes.")
        @Argument(help: "Source id, or a source name from the catalog in --data-dir.") var source: String
        @Flag(help: "Print one JSON object per day.") var json = false
        @OptionGroup var store: LogStoreOptions

        func run() async throws {
            let days = try await store.run(source) { store, source in try await store.days(source: source) }
            print(json ? DaysReport.renderJSONLines(days) : DaysReport.render(days))
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a source's files for some days into a directory, in parallel, resumably.",
            discussion: """
                Files land in DIR/{day folder}/{file}, with the names and bytes `aws s3 sync \
                s3://BUCKET/segment-logs/SOURCE/ DIR` gives. Files already present with the same size and ETag \
                are skipped; an interrupted sync resumes. State and partial files live in DIR/.sluice/.
                """)
        @Argument(help: "Source id, or a source name from the catalog in --data-dir.") var source: String
        @Option(help: "One UTC day, YYYY-MM-DD.") var day: String?
        @Option(help: "First UTC day of a range, YYYY-MM-DD.") var from: String?
        @Option(help: "Last UTC day of a range (inclusive), YYYY-MM-DD.") var to: String?
        @Flag(help: "Every day.") var all = false
        @Option(name: .customLong("dir"), help: "Directory to sync into (default ./segment-logs/SOURCE-ID).")
        var directory: String?
        @Flag(help: "Write decompressed .ndjson files instead of .gz.") var decompress = false
        @Option(help: "Files downloaded at once.") var concurrency = 16
        @OptionGroup var store: LogStoreOptions

        func run() async throws {
            let selection = try DaySelection(day: day, from: from, to: to, all: all)
            let options = self
            try await store.run(source, concurrency: concurrency) { store, source in
                let sync = LogSync(
                    store: store,
                    options: .init(
                        directory: options.directory ?? "segment-logs/\(source)", decompress: options.decompress,
                        concurrency: options.concurrency))
                try await sync.run(
                    source: source, selection: selection,
                    progress: ProgressPrinter(isTerminal: isatty(STDOUT_FILENO) == 1))
            }
        }
    }

    struct Cat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the decompressed NDJSON of one day to standard output (for jq).")
        @Argument(help: "Source id, or a source name from the catalog in --data-dir.") var source: String
        @Option(help: "The UTC day, YYYY-MM-DD.") var day: String
        @Option(help: "Only events whose top-level \"event\" is exactly this name.") var grep: String?
        @OptionGroup var store: LogStoreOptions

        func run() async throws {
            let received = try UTCDate.parse(day).receivedDay
            let filter = grep.map(EventFilter.init(event:))
            do {
                try await store.run(source) { store, source in
                    try await LogCat(store: store).run(source: source, day: received, filter: filter)
                }
            } catch let error as LogsError where error.code == .outputClosed {
                return
            }
        }
    }
}
