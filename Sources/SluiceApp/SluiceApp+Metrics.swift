import Catalog
import Hummingbird
import Logging
import NIOCore
import Pipeline
import Prometheus
import ServiceLifecycle
import SluiceServer

extension SluiceApp {
    /// The separate metrics listener (`--metrics-listen HOST:PORT`): `/metrics` without a token, and `/health`, on
    /// the main listener's event loops. Nil when not configured (then `/metrics` is on the main listener only,
    /// behind the admin token).
    static func metricsListener(
        _ address: SluiceConfiguration.HTTPSettings.ListenAddress?, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () -> PipelineHealth, catalogHealth: CatalogHealth, gauges: HealthGauges,
        now: @escaping @Sendable () -> Int64, eventLoops: any EventLoopGroup, logger: Logger
    ) -> ServiceGroupConfiguration.ServiceConfiguration? {
        guard let address else { return nil }
        let router = Router(context: SluiceRequestContext.self)
        OperationsAPI(
            registry: registry, health: health, catalogHealth: { catalogHealth.snapshot }, now: now,
            beforeScrape: { gauges.update() }, metricsToken: nil
        )
        .register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "sluice"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                announce("metrics (no token) on http://\(address.hostForURL):\(port)/metrics")
            },
            eventLoopGroupProvider: .shared(eventLoops),
            logger: logger)
        return .init(service: app)
    }
}
