import ArgumentParser
import Foundation
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
    @Option(
        name: .customLong("trusted-proxies"),
        help: ArgumentHelp(
            "Proxies whose Forwarded / X-Forwarded-For headers name the client (context.ip), as CIDRs.",
            discussion:
                "Comma-separated, e.g. 10.0.0.0/8,fd00::/8,127.0.0.1. From any other peer those headers are ignored.",
            valueName: "CIDRS"))
    var trustedProxies: String?
    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp(
            "Serve HTTPS (HTTP/1.1 and HTTP/2) with this PEM certificate chain (leaf first); needs --tls-key.",
            discussion: "SIGHUP reloads the certificate and key from the same files without closing the listener.",
            valueName: "FILE"))
    var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "FILE"))
    var tlsKey: String?
    @Option(
        name: .customLong("metrics-listen"),
        help: ArgumentHelp(
            "Also serve /metrics (and /health) without a token on this address, e.g. 127.0.0.1:9090.",
            discussion:
                "Without it, /metrics is on the main address only and needs Authorization: Bearer <admin token>.",
            valueName: "HOST:PORT"))
    var metricsListen: String?
    @Option(
        name: .customLong("dedupe-window"),
        help: ArgumentHelp(
            "Remember accepted messageIds this long; a repeat is answered 200 and not archived again (default 24h).",
            discussion: "A number with s, m, h or d (24h, 90m, 7d); off or 0 turns de-duplication off.",
            valueName: "DURATION"))
    var dedupeWindow: String?
    @Option(name: .customLong("staging-retention"), help: stagingRetentionHelp) var stagingRetention: String?
    @Option(
        name: .customLong("quarantine-retention"),
        help: ArgumentHelp(
            "Delete quarantined events received longer ago than this (30d, 12h); checked hourly.",
            discussion: "Default: kept until replayed or their source is deleted. Sets quarantine.retentionHours.",
            valueName: "Nd|Nh"))
    var quarantineRetention: String?

    func run() async throws {
        do {
            try await serve()
        } catch let error as ConfigurationError {
            // A setting that cannot work: one line that says what to change, and exit status 2.
            FileHandle.standardError.write(Data("sluice serve: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    func serve() async throws {
        var configuration = try configFile.map(SluiceConfiguration.load(path:)) ?? SluiceConfiguration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let catalog = catalog ?? environment["SLUICE_CATALOG"] { configuration.catalog = catalog }
        staging.apply(to: &configuration)
        if let nodeID { configuration.nodeID = nodeID }
        if let batchMaxAge { configuration.batch.maxAgeSeconds = batchMaxAge }
        if let logLevel { configuration.logLevel = logLevel }
        if let trustedProxies { configuration.http.trustedProxies = [trustedProxies] }
        if let metricsListen { configuration.http.metricsListen = metricsListen }
        if let dedupeWindow { configuration.dedupeWindow = dedupeWindow }
        if let stagingRetention {
            configuration.copy.retentionHours = try RetentionPeriod.hours(
                parsing: stagingRetention, flag: "--staging-retention")
        }
        if let quarantineRetention {
            configuration.quarantine.retentionHours = try RetentionPeriod.hours(
                parsing: quarantineRetention, flag: "--quarantine-retention")
        }
        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            configuration.http.tls = .init(certificateFile: certificate, privateKeyFile: key)
        case (nil, nil):
            break
        default:
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
        }
        var logger = Logger(label: "sluice")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        try await SluiceApp.serve(configuration, logger: logger)
    }
}

let stagingRetentionHelp = ArgumentHelp(
    "Delete staged files this long after they were written (30d, 12h), once every enabled destination has them.",
    discussion: """
        Default: staged files are kept forever (on the embedded default, {data-dir}/bucket is also the local \
        archive). Sets copy.retentionHours; a file some enabled destination has not received is never deleted.
        """,
    valueName: "Nd|Nh")
