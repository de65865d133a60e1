import ArgumentParser
import Delivery
import Logging
import SluiceApp

struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy staged batches to every enabled destination now, instead of waiting for minute :40.",
        discussion: """
            Runs against the data directory, beside a running server or without one. Each destination receives \
            every staged file it has not received yet, exactly once (the delivery ledger in the catalog records \
            each copy; a run interrupted by a crash resumes where it stopped). Exits 1 if any destination failed.
            """
    )

    @Flag(help: "Run now (required: the scheduled copy runs inside `sluice serve`).") var now = false
    @Option(name: .customLong("config"), help: "JSON config file (see README).") var configFile: String?
    @Option(name: .customLong("staging-retention"), help: stagingRetentionHelp) var stagingRetention: String?
    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        guard now else { throw ValidationError("use `sluice copy --now`; the hourly copy runs inside `sluice serve`") }
        var configuration = try configFile.map(SluiceConfiguration.load(path:)) ?? SluiceConfiguration()
        configuration.dataDirectory = data.dataDirectory
        configuration.catalog = data.catalog
        data.staging.apply(to: &configuration)
        if let stagingRetention {
            do {
                configuration.copy.retentionHours = try RetentionPeriod.hours(
                    parsing: stagingRetention, flag: "--staging-retention")
            } catch let error as ConfigurationError {
                throw ValidationError(error.message)
            }
        }
        var logger = Logger(label: "sluice")
        logger.logLevel = .warning
        let report = try await SluiceApp.withDelivery(configuration, logger: logger) { runtime, _ in
            try await runtime.runner.run()
        }
        for result in report.destinations.sorted(by: { $0.destinationID < $1.destinationID }) {
            var line =
                "\(result.destinationID): delivered \(result.deliveredFiles) files (\(result.deliveredBytes) bytes)"
            if result.pendingFiles > 0 { line += ", \(result.pendingFiles) pending" }
            if let error = result.error { line += "\n  error: \(error.message)" }
            print(line)
        }
        if !report.expired.isEmpty { print("retention removed \(report.expired.count) staged files") }
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}
