import ArgumentParser

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
            LogsCommand.self,
        ]
    )
}

/// Where the data directory is; shared by every command.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (catalog, spool, local bucket).")
    var dataDirectory: String = "./sluice-data"
}
