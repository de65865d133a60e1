import ArchiveFormat
import Catalog
import Dedupe
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import Pipeline
import Prometheus
import SegmentModel
import ServiceLifecycle
import SluiceServer
import Spool
import Storage

/// The composition root: builds every component from the configuration and runs them in one `ServiceGroup`
/// that shuts down on SIGTERM/SIGINT (HTTP stops first, then open batches are drained and stored).
///
/// ```swift
/// try await SluiceApp.serve(configuration, logger: logger)
/// ```
public enum SluiceApp {
    public static func serve(_ configuration: SluiceConfiguration, logger: Logger) async throws {
        try configuration.validate()
        let connections = ConnectionRegistry()
        let http = try await HTTPServerSetup(configuration.http, connections: connections, logger: logger)
        let data = DataDirectory(configuration.dataDirectory)
        try data.create()
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let now: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

        let environment = ProcessInfo.processInfo.environment
        let location = try CatalogLocation.resolve(configuration.catalog, data: data, environment: environment)
        let catalogHealth = CatalogHealth()
        let catalog = try await openCatalog(
            location, environment: environment, logger: logger, health: catalogHealth, now: now)
        let nodeName = configuration.nodeID ?? defaultNodeID()
        let delivery = try DeliveryRuntime(
            configuration: configuration, data: data, catalog: catalog, leaseOwner: nodeName,
            environment: environment, logger: logger)
        let store = delivery.pipelineStaging
        let node = NodeRecord(
            id: nodeName, instance: try data.nodeID(),
            address: "\(configuration.host):\(configuration.port)", version: BuildInfo.version,
            startedAtMilliseconds: now(), heartbeatAtMilliseconds: now())
        do {
            try Identifiers.validateNodeID(node.id)
            try await probe(store, data: data, nodeID: node.instance)
            // Every destination's secret must open with this node's key: a wrong key stops the start, not each copy.
            _ = try await catalog.destinations()
            // Live means a heartbeat within three intervals.
            try await catalog.registerNode(node, liveSinceMilliseconds: now() - 3 * heartbeatMilliseconds)
        } catch {
            await delivery.shutdown()
            await catalog.close()
            throw error
        }
        if try await catalog.sources().isEmpty { try await createDefaultSource(in: catalog, now: now()) }
        let sources = SourceDirectory(catalog: catalog, now: now)
        try await sources.preload()

        var spoolConfiguration = SpoolConfiguration(directory: data.spoolPath)
        spoolConfiguration.maxBytes = Int(configuration.spool.maxBytes)
        spoolConfiguration.minFreeDiskBytes = Int(configuration.spool.minFreeDiskBytes)
        spoolConfiguration.segmentBytes = configuration.spool.segmentBytes
        spoolConfiguration.fsync = configuration.spool.fsync
        spoolConfiguration.preallocate = configuration.spool.preallocate
        // A seal is what lets a full spool release segments, so the quota must not refuse it.
        let rawSpool = try Spool.open(configuration: spoolConfiguration, logger: logger)
        let deduplicator: Deduplicator?
        do {
            deduplicator = try await openDeduplicator(
                configuration, data: data, spool: rawSpool, now: now, logger: logger)
        } catch {
            rawSpool.close()
            await delivery.shutdown()
            await catalog.close()
            throw error
        }
        let spool: any SpoolLog =
            deduplicator.map { DedupeSpoolLog(rawSpool, deduplicator: $0, logger: logger) } ?? rawSpool

        let policy = configuration.batchingPolicy
        let batcher = Batcher(
            policy: policy, spool: spool, store: store, dataDirectory: data.path,
            naming: BatchNaming(nodeID: try data.nodeID(), buildID: BuildInfo.buildID), nextSequence: 0, now: now,
            newUUID: { UUID().uuidString.lowercased() }, logger: logger)
        let pipeline = PipelineService(
            batcher: batcher, spool: spool, store: store, dataDirectory: data.path, logger: logger)
        let ingestor = Ingestor(
            spool: spool, batcher: batcher, policy: policy, messageIDFilter: deduplicator,
            sharedMessageIDs: try clusterDeduplicator(configuration, catalog: catalog, now: now, logger: logger))
        let gauges = HealthGauges(catalog: catalogHealth, pipeline: { pipeline.health }, now: now)

        let router = Router(context: SluiceRequestContext.self)
        // First, so that it wraps every route and the not-found answer.
        router.add(middleware: JSONErrorMiddleware())
        let isReady: @Sendable () -> Bool = { pipeline.isReady }
        let tap = EventTap()
        let sourceOrigins = SourceOrigins(now: now) { try await catalog.sourceOrigins() }
        TrackingAPI(
            ingestor: ingestor, sources: sources, catalog: catalog, limits: IngestLimits(), isReady: isReady, now: now,
            cors: try configuration.http.cors.policy(), trustedProxies: try configuration.http.proxies(), tap: tap,
            sourceOrigins: sourceOrigins
        )
        .register(on: router)
        ConsoleAPI(
            adminToken: try data.adminToken(), catalog: catalog, sources: sources, tap: tap,
            destinations: ConsoleDelivery(
                registry: delivery.registry, runner: delivery.runner, catalog: catalog, staging: delivery.staging,
                schedule: delivery.schedule),
            health: { pipeline.health }, nodes: catalog, users: catalog, now: now, secureCookies: http.scheme == "https"
        )
        .register(on: router)
        AdminAPI(
            token: try data.adminToken(), batcher: batcher, catalog: catalog, sources: sources, now: now,
            health: { pipeline.health }, catalogHealth: { catalogHealth.snapshot },
            duplicatesDropped: { ingestor.duplicatesDropped }
        )
        .register(on: router)
        BrowserSettingsAPI(
            sources: sources, cors: try configuration.http.cors.policy(), publicURL: configuration.http.publicURL,
            scheme: http.scheme, sourceOrigins: sourceOrigins
        )
        .register(on: router)
        OperationsAPI(
            registry: registry, health: { pipeline.health }, catalogHealth: { catalogHealth.snapshot }, now: now,
            beforeScrape: { gauges.update() }, metricsToken: try data.adminToken()
        )
        .register(on: router)
        DestinationsAPI(
            token: try data.adminToken(), registry: delivery.registry, runner: delivery.runner, catalog: catalog
        )
        .register(on: router)

        let host = configuration.host
        let eventLoops = MultiThreadedEventLoopGroup(
            numberOfThreads: configuration.http.eventLoopCount(cores: System.coreCount))
        let app = Application(
            router: router, server: http.server,
            configuration: .init(
                address: .hostname(host, port: configuration.port), serverName: "sluice",
                availableConnectionsDelegate: ConnectionCap(
                    maximum: configuration.http.connectionLimit(), registry: connections, logger: logger)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                announce(
                    "sluice \(BuildInfo.version) listening on \(http.scheme)://\(host):\(port) (data: \(data.path))")
            },
            eventLoopGroupProvider: .shared(eventLoops),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: pipeline), .init(service: delivery.service(logger: logger)),
                    .init(
                        service: NodeHeartbeat(
                            registry: catalog, record: node, batcher: batcher, spool: rawSpool,
                            interval: .milliseconds(heartbeatMilliseconds), now: now, logger: logger)),
                    .init(service: app),
                ] + http.services + quarantineRetention(configuration, catalog: catalog, now: now, logger: logger)
                    + [
                        metricsListener(
                            try configuration.http.metricsAddress(), registry: registry, health: { pipeline.health },
                            catalogHealth: catalogHealth, gauges: gauges, now: now, eventLoops: eventLoops,
                            logger: logger)
                    ].compactMap { $0 },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        await delivery.shutdown()
        closeDeduplicator(deduplicator, logger: logger)
        rawSpool.close()
        await catalog.close()
        try? await eventLoops.shutdownGracefully()
    }
}

extension SluiceApp {
    /// The quarantine retention pass, when `quarantine.retentionHours` is set.
    static func quarantineRetention(
        _ configuration: SluiceConfiguration, catalog: any SluiceCatalog, now: @escaping @Sendable () -> Int64,
        logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let hours = configuration.quarantine.retentionHours else { return [] }
        return [
            .init(
                service: QuarantineRetention(
                    catalog: catalog, keepMilliseconds: Int64(hours) * 3_600_000,
                    interval: .seconds(configuration.quarantine.retentionIntervalSeconds), now: now, logger: logger))
        ]
    }

    /// How often a node refreshes its registry entry.
    static let heartbeatMilliseconds: Int64 = 5_000

    /// The host name when it is a valid node id, else `node`.
    static func defaultNodeID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return (try? Identifiers.validateNodeID(host)) != nil ? host : "node"
    }

    /// The first start's source, `default`, with its write key printed once on the terminal (never logged). Another
    /// node sharing the catalog may create it at the same moment; then that one stands.
    static func createDefaultSource(in catalog: any CatalogStore, now: Int64) async throws(CatalogError) {
        let source: Source
        do throws(CatalogError) {
            source = try await catalog.createSource(name: "default", writeKey: nil, nowMilliseconds: now)
        } catch {
            if error.code == .duplicate { return }
            throw error
        }
        announce("Created source 'default' (id \(source.id)). Its write key: \(source.writeKey)")
    }
}

/// Prints a line for the operator and flushes, so it reaches a pipe or log file at once.
func announce(_ line: String) {
    print(line)
    fflush(nil)
}
