import ArgumentParser
import Logging
import SluiceApp

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Tracking API server and the batch pipeline.",
        discussion:
            "Flags override the config file. SIGTERM or SIGINT stops it gracefully: open batches are closed and written first."
    )

    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on.") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Data directory (default ./sluice-data).") var dataDirectory: String?
    @Option(name: .customLong("catalog"), help: catalogHelp) var catalog: String?
    @OptionGroup var staging: StagingOptions
    @Option(
        name: .customLong("node-id"),
        help: "This node's name in the node registry, unique among live nodes (default: the host name).")
    var nodeID: String?
    @Option(name: .customLong("config"), help: "JSON config file (see README).") var configFile: String?
    @Option(name: .customLong("batch-max-age"), help: "Close batches after this many seconds (default 3600).")
    var batchMaxAge: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func run() async throws {
        var configuration = try configFile.map(SluiceConfiguration.load(path:)) ?? SluiceConfiguration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let catalog = catalog ?? environment["SLUICE_CATALOG"] { configuration.catalog = catalog }
        staging.apply(to: &configuration)
        if let nodeID { configuration.nodeID = nodeID }
        if let batchMaxAge { configuration.batch.maxAgeSeconds = batchMaxAge }
        if let logLevel { configuration.logLevel = logLevel }
        var logger = Logger(label: "sluice")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        try await SluiceApp.serve(configuration, logger: logger)
    }
}
