import ArgumentParser
import Catalog
import Delivery
import Foundation
import Logging
import SluiceApp

struct Destinations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the S3 buckets a source's batches are copied to (many per source).",
        discussion: """
            Adding, enabling, or changing the bucket, access or encryption of an enabled destination first makes \
            a validation write under its segment-logs/ path, with the new settings; if the bucket refuses it, \
            nothing changes and the error says what to fix.
            """,
        subcommands: [Add.self, ImportFromSegment.self, List.self, Update.self, Enable.self, Disable.self, Remove.self]
    )

    /// Flags shared by `add` and `update`.
    struct SettingsOptions: ParsableArguments {
        @Option(
            help: "Server-side encryption: aes256 (default on add), none (the bucket's default applies) or kms:KEY-ID.")
        var sse: String?
        @Option(name: .customLong("role-arn"), help: "IAM-role kind: the customer's role Sluice assumes.") var roleARN:
            String?
        @Option(name: .customLong("external-id"), help: "The external id the role's trust policy requires.")
        var externalID: String?
        @Option(
            name: .customLong("access-key-id"),
            help: "Static keys for this destination (the secret comes from --secret-env).")
        var accessKeyID: String?
        @Option(name: .customLong("secret-env"), help: "Environment variable holding the secret access key.")
        var secretEnvironment: String?
        @Flag(
            name: .customLong("secret-stays-in-env"),
            help: ArgumentHelp(
                "Store only the --secret-env variable's name: each node reads the secret from its own environment.",
                discussion: "Without it the secret is read now and stored sealed (AES-GCM, SLUICE_SECRET_KEY)."))
        var secretStaysInEnvironment = false
        @Flag(
            name: .customLong("default-credentials"), help: "Use Sluice's own credentials chain (bucket-policy kind).")
        var defaultCredentials = false
        @Option(help: "S3-compatible or VPC endpoint URL (\"\" clears it).") var endpoint: String?
        @Option(help: "The bucket's region (\"\" clears it: discovered).") var region: String?
        @Flag(name: .customLong("no-validate"), help: "Skip the validation write.") var noValidate = false

        func settings(bucket: String?) throws -> DestinationSettings {
            var settings = DestinationSettings(bucket: bucket, endpoint: endpoint, region: region)
            if let sse { settings.encryption = try DestinationSettings.encryption(sse) }
            if let roleARN {
                settings.access = .assumeRole(roleARN: roleARN, externalID: externalID)
            } else if let accessKeyID {
                guard let name = secretEnvironment, let secret = ProcessInfo.processInfo.environment[name],
                    !secret.isEmpty
                else {
                    throw ValidationError(
                        "--access-key-id needs --secret-env NAME, an environment variable holding the secret")
                }
                settings.access =
                    secretStaysInEnvironment
                    ? .environmentKeys(accessKeyID: accessKeyID, secretVariable: name)
                    : .staticKeys(accessKeyID: accessKeyID, secretAccessKey: secret)
            } else if secretStaysInEnvironment {
                throw ValidationError("--secret-stays-in-env goes with --access-key-id and --secret-env")
            } else if defaultCredentials {
                settings.access = .defaultChain
            }
            return settings
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a destination to a source and validate it.")
        @Argument(help: "The source (id or name).") var source: String
        @Argument(help: "Bucket string: mybucket or mybucket/path/prefix.") var bucket: String
        @OptionGroup var options: SettingsOptions
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let settings = try options.settings(bucket: bucket)
            let status = try await withRegistry(data) { registry, catalog in
                guard let found = try await catalog.source(idOrName: source) else {
                    throw ValidationError("no source '\(source)'; see `sluice sources list`")
                }
                let added = try await registry.add(
                    sourceID: found.id, settings: settings, validate: !options.noValidate)
                return try await registry.statuses().first { $0.destination.id == added.id }
            }
            if let status { printStatuses([status], json: json) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List destinations with their status: last successful copy, what is pending, the last error.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            printStatuses(try await withRegistry(data) { registry, _ in try await registry.statuses() }, json: json)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a destination's settings (validated before they take effect).")
        @Argument(help: "Destination id.") var id: String
        @Option(help: "New bucket string.") var bucket: String?
        @OptionGroup var options: SettingsOptions
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let settings = try options.settings(bucket: bucket)
            let updated = try await withRegistry(data) { registry, _ in
                try await registry.update(id: id, settings: settings, validate: !options.noValidate)
            }
            print(
                "updated \(updated.id): s3://\(updated.bucket) sse \(updated.encryption.storedValue), \(updated.access.redacted)"
            )
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a destination (after a validation write); it receives the backlog it is owed.")
        @Argument(help: "Destination id.") var id: String
        @Flag(name: .customLong("no-validate"), help: "Skip the validation write.") var noValidate = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            _ = try await withRegistry(data) { registry, _ in
                try await registry.setEnabled(id: id, true, validate: !noValidate)
            }
            print("enabled \(id)")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a destination; staged files stay until it is enabled again or retention passes.")
        @Argument(help: "Destination id.") var id: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            _ = try await withRegistry(data) { registry, _ in try await registry.setEnabled(id: id, false) }
            print("disabled \(id)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a destination and its delivery ledger.")
        @Argument(help: "Destination id.") var id: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await withRegistry(data) { registry, _ in try await registry.remove(id: id) }
            print("removed \(id)")
        }
    }
}

/// Runs `body` with the data directory's destination registry.
func withRegistry<T: Sendable>(
    _ data: DataDirectoryOption, _ body: (DestinationRegistry, any SluiceCatalog) async throws -> T
) async throws -> T {
    var configuration = SluiceConfiguration()
    configuration.dataDirectory = data.dataDirectory
    configuration.catalog = data.catalog
    data.staging.apply(to: &configuration)
    var logger = Logger(label: "sluice")
    logger.logLevel = .warning
    return try await SluiceApp.withDelivery(configuration, logger: logger) { runtime, catalog in
        try await body(runtime.registry, catalog)
    }
}

func printStatuses(_ statuses: [DestinationStatus], json: Bool) {
    if json {
        print(DestinationStatus.json(statuses))
        return
    }
    for status in statuses {
        let d = status.destination
        print("\(d.id)  source \(d.sourceID)  s3://\(d.bucket)  \(d.enabled ? "enabled" : "disabled")")
        print(
            "  sse \(d.encryption.storedValue); access: \(d.access.redacted)"
                + (d.endpoint.map { "; endpoint \($0)" } ?? "") + (d.region.map { "; region \($0)" } ?? ""))
        let last =
            status.state.lastSuccessMilliseconds.map { "last successful copy \(timestamp($0))" }
            ?? "no successful copy yet"
        print(
            "  \(last); delivered \(status.deliveredFiles) files; pending \(status.pendingFiles) files (\(status.pendingBytes) bytes)"
        )
        if let error = status.state.lastError, status.state.consecutiveFailures > 0 {
            print("  failing (\(status.state.consecutiveFailures) runs): \(error)")
        } else if let error = status.state.lastError, let at = status.state.lastErrorMilliseconds {
            print("  last error (\(timestamp(at)), since recovered): \(error)")
        }
    }
}

func timestamp(_ milliseconds: Int64) -> String {
    ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
}
