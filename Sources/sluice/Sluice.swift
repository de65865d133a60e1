import ArgumentParser
import Catalog
import Foundation
import SluiceApp

@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Segment-compatible event collector that archives every event to S3 in Segment's layout.",
        discussion: """
            Start with `sluice serve`: it listens on 127.0.0.1:8080, keeps its state in ./sluice-data, creates a \
            source named 'default' on first start and prints its write key. Point any Segment SDK at it.
            """,
        version: "0.1.0",
        subcommands: [
            Serve.self, Sources.self, Flush.self, Quarantine.self, Destinations.self, Copy.self, Policy.self,
            LogsCommand.self, Nodes.self, Status.self, Console.self,
        ]
    )

    /// Runs the command; a catalog that cannot be used as configured (unreachable, wrong password, bad URL, a
    /// newer schema) is one line on stderr and exit code 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CatalogError where error.isConfigurationFailure {
            FileHandle.standardError.write(Data("sluice: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch let error as StagingConfigurationError {
            FileHandle.standardError.write(Data("sluice: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            exit(withError: error)
        }
    }
}

extension CatalogError {
    /// Failures of the catalog's configuration rather than of one request: nothing works until it is fixed.
    var isConfigurationFailure: Bool {
        [.invalidConfiguration, .unavailable, .schemaTooNew, .duplicateNode, .secretKeyMissing, .secretKeyMismatch]
            .contains(code)
    }
}

/// Where the data directory and the catalog are; shared by every command.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (catalog, spool, local bucket).")
    var dataDirectory: String = "./sluice-data"
    @Option(name: .customLong("catalog"), help: catalogHelp) var catalogOption: String?

    @OptionGroup var staging: StagingOptions

    /// `--catalog`, else `SLUICE_CATALOG`; nil means the data directory's own SQLite catalog.
    var catalog: String? { catalogOption ?? environment["SLUICE_CATALOG"] }
}

/// Where closed batches are staged; shared by `serve` and every command that reads staged files.
struct StagingOptions: ParsableArguments {
    @Option(
        name: .customLong("staging"),
        help: ArgumentHelp(
            "Staging store: s3://BUCKET[/PREFIX] shared by every node of a cluster (default: {data-dir}/bucket).",
            discussion: """
                Also SLUICE_STAGING. Objects are written with SSE AES256 and Content-MD5, with the credentials chain \
                destinations use; a probe write at start checks the bucket exists and takes writes.
                """))
    var url: String?
    @Option(name: .customLong("staging-endpoint"), help: "S3-compatible endpoint of the staging bucket (default AWS).")
    var endpoint: String?
    @Option(name: .customLong("staging-region"), help: "Region of the staging bucket (default: discovered).")
    var region: String?

    func apply(to configuration: inout SluiceConfiguration) {
        if let url = url ?? environment["SLUICE_STAGING"] { configuration.staging.url = url }
        if let endpoint { configuration.staging.endpoint = endpoint }
        if let region { configuration.staging.region = region }
    }
}

/// The process environment, read only here and in `SluiceApp` (the composition root).
let environment = ProcessInfo.processInfo.environment

let catalogHelp = ArgumentHelp(
    "Catalog: a postgres:// URL shared by every node of a cluster, or a SQLite file (default: {data-dir}/catalog.sqlite).",
    discussion: """
        Also SLUICE_CATALOG. postgres://USER@HOST:PORT/DATABASE?sslmode=disable|prefer|require|verify-full; the \
        password comes from the URL or PGPASSWORD and is never printed. The schema is created or migrated on first use.
        """)
