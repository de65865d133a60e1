import AsyncHTTPClient
import Catalog
import Delivery
import Foundation
import Logging
import S3
import Storage

/// The delivery side wired to its implementations: the staging store, the S3 connector with
/// Sluice's own credentials (the default chain), the registry of destinations and the copy runner.
public struct DeliveryRuntime: Sendable {
    public let registry: DestinationRegistry
    public let runner: CopyRunner
    public let schedule: CopySchedule
    /// The staging store: the copy reads closed batches there and retention deletes them.
    public let staging: any ArchiveStore
    /// The same store as the pipeline puts into it: each upload is recorded in the staged-file ledger.
    public let pipelineStaging: any ArchiveStore
    let catalog: any SluiceCatalog
    let httpClient: HTTPClient

    /// Builds it for a data directory. `environment` supplies Sluice's own AWS credentials.
    /// `leaseOwner` names this process's copy leases (the node id for a server).
    init(
        configuration: SluiceConfiguration, data: DataDirectory, catalog: any SluiceCatalog, leaseOwner: String,
        environment: [String: String], logger: Logger
    ) throws {
        // Its own client: no automatic gunzip, and shut down with the runtime.
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let now: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
        let staging: any ArchiveStore
        do {
            staging = try SluiceApp.openStaging(
                configuration.staging, data: data, httpClient: httpClient, environment: environment, logger: logger)
        } catch {
            try? httpClient.syncShutdown()
            throw error
        }
        self.staging = staging
        pipelineStaging = LedgerStagingStore(staging, ledger: catalog, now: now)
        let connector = S3DestinationConnector(
            httpClient: httpClient,
            principal: CredentialsProviderChain.default(environment: environment, httpClient: httpClient),
            stsEndpoint: configuration.copy.stsEndpoint,
            multipartThreshold: configuration.copy.multipartThresholdBytes, environment: environment, logger: logger)
        let copier = DestinationCopier(
            staging: staging, sleep: { ms in try await Task.sleep(for: .milliseconds(ms)) },
            now: now, logger: logger)
        self.catalog = catalog
        self.httpClient = httpClient
        self.schedule = configuration.copy.schedule
        registry = DestinationRegistry(
            catalog: catalog, validator: DestinationValidator(connector: connector), now: now)
        runner = CopyRunner(
            catalog: catalog, staging: staging, connector: connector, copier: copier,
            retention: configuration.copy.retention,
            leases: CopyLeaseSettings(owner: leaseOwner, leaseSeconds: configuration.copy.leaseSeconds), logger: logger)
    }

    /// The hourly (or continuous) copy as a service for the server's `ServiceGroup`.
    func service(logger: Logger) -> CopyService {
        CopyService(
            runner: runner, catalog: catalog, schedule: schedule,
            now: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }, logger: logger)
    }

    func shutdown() async {
        try? await httpClient.shutdown()
    }
}

extension SluiceApp {
    /// Opens the data directory's catalog, runs `body` with the delivery runtime, and closes everything.
    /// For the CLI (`sluice copy --now`, `sluice destinations ...`), which runs beside or without a server.
    public static func withDelivery<T: Sendable>(
        _ configuration: SluiceConfiguration, logger: Logger,
        _ body: (DeliveryRuntime, any SluiceCatalog) async throws -> T
    ) async throws -> T {
        let data = DataDirectory(configuration.dataDirectory)
        try data.create()
        let environment = ProcessInfo.processInfo.environment
        let location = try CatalogLocation.resolve(configuration.catalog, data: data, environment: environment)
        return try await withCatalog(at: location, environment: environment, logger: logger) { catalog in
            // The CLI's leases are its own: a server on this machine keeps renewing the ones it holds.
            let owner = "cli-" + UUID().uuidString.prefix(8).lowercased()
            let runtime = try DeliveryRuntime(
                configuration: configuration, data: data, catalog: catalog, leaseOwner: owner,
                environment: environment, logger: logger)
            do {
                let result = try await body(runtime, catalog)
                await runtime.shutdown()
                return result
            } catch {
                await runtime.shutdown()
                throw error
            }
        }
    }
}
