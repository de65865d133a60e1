import ArchiveFormat
import ArgumentParser
import Catalog
import Foundation
import Logging
import Logs
import SluiceApp

/// Where `sluice logs` reads from: the local bucket of --data-dir, or an S3 bucket.
struct LogStoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read a destination's bucket: its bucket, prefix, endpoint and region come from the catalog.",
            discussion: "Reading uses your own AWS credentials chain: Sluice's copy principal may only PutObject."))
    var destination: String?
    @Option(help: "S3 bucket, optionally with a key prefix: my-bucket or my-bucket/path/prefix.") var bucket: String?
    @Option(help: "S3-compatible endpoint URL (default: AWS).") var endpoint: String?
    @Option(help: "Bucket region (default: discovered from the bucket).") var region: String?
    @OptionGroup var data: DataDirectoryOption

    /// Resolves `sourceArgument` and runs `body` with the chosen store.
    @discardableResult
    func run<T: Sendable>(
        _ sourceArgument: String, concurrency: Int = 16, _ body: @Sendable (any LogStore, SourceID) async throws -> T
    ) async throws -> T {
        let source = try await resolveSource(sourceArgument)
        var logger = Logger(label: "sluice")
        logger.logLevel = .warning
        if let destination {
            guard bucket == nil else { throw ValidationError("use either --destination or --bucket") }
            let target = try await loadDestination(destination, source: source)
            return try await S3LogStore.withStore(
                bucket: try BucketString.parse(target.bucket), endpoint: endpoint ?? target.endpoint,
                region: region ?? target.region, environment: ProcessInfo.processInfo.environment,
                concurrency: concurrency, logger: logger
            ) { store in try await body(store, source) }
        }
        guard let bucket else {
            guard endpoint == nil, region == nil else { throw ValidationError("--endpoint and --region need --bucket") }
            return try await body(LocalLogStore(root: DataDirectory(data.dataDirectory).bucketPath), source)
        }
        return try await S3LogStore.withStore(
            bucket: try BucketString.parse(bucket), endpoint: endpoint, region: region,
            environment: ProcessInfo.processInfo.environment, concurrency: concurrency, logger: logger
        ) { store in try await body(store, source) }
    }

    /// The destination `id` from the catalog in --data-dir; it must belong to `source`.
    func loadDestination(_ id: String, source: SourceID) async throws -> Destination {
        let lookup = try await SluiceApp.withExistingCatalog(
            dataDirectory: data.dataDirectory, catalog: data.catalog, environment: environment, logger: quietLogger()
        ) {
            catalog in try? await catalog.destination(id: id)
        }
        guard let lookup else {
            throw ValidationError(
                "no catalog in \(DataDirectory(data.dataDirectory).path): pass the --data-dir of the server that has "
                    + "the destination")
        }
        guard let found = lookup else {
            throw ValidationError("no destination '\(id)'; see `sluice destinations list`")
        }
        guard found.sourceID == source.rawValue else {
            throw ValidationError("destination \(id) belongs to source \(found.sourceID), not \(source.rawValue)")
        }
        return found
    }

    /// A source name from the catalog in --data-dir (when there is one), else the argument as a source id.
    func resolveSource(_ text: String) async throws -> SourceID {
        let found = try await SluiceApp.withExistingCatalog(
            dataDirectory: data.dataDirectory, catalog: data.catalog, environment: environment, logger: quietLogger()
        ) {
            catalog in try? await catalog.source(idOrName: text)
        }
        if let found = found ?? nil { return try SourceID(found.id) }
        return try SourceID(text)
    }
}
