import Catalog
import Hummingbird
import NIOCore
import Pipeline
import Prometheus

/// `/health` and `/healthz` (the same answer: liveness and readiness) and `/metrics` (Prometheus text format). On
/// the main listener `/metrics` needs the admin token (`Authorization: Bearer`, as Prometheus' `authorization`
/// scrape setting sends it); on a separate metrics listener (`--metrics-listen`), reachable only where the
/// operator binds it, it needs none.
///
/// The health answer is a `HealthReport`: 200 `{"status":"ok"}`; 200 `{"status":"degraded","problems":[...]}`
/// while events are taken but something lags (the catalog does not answer, a batch not stored yet); 503
/// `starting` during recovery, and 503 `unavailable` while the spool refuses events (quota, disk full), so a load
/// balancer sends traffic elsewhere. `components` says how the spool, the catalog and staging are.
public struct OperationsAPI: Sendable {
    let registry: PrometheusCollectorRegistry
    let health: @Sendable () -> PipelineHealth
    let catalogHealth: @Sendable () -> CatalogHealth.Snapshot
    let now: @Sendable () -> Int64
    /// Run before each scrape, to bring gauges up to date (health figures kept elsewhere).
    let beforeScrape: @Sendable () -> Void
    /// nil: `/metrics` is open (the separate metrics listener).
    let metricsToken: String?

    public init(
        registry: PrometheusCollectorRegistry, health: @escaping @Sendable () -> PipelineHealth,
        catalogHealth: @escaping @Sendable () -> CatalogHealth.Snapshot = { CatalogHealth.Snapshot() },
        now: @escaping @Sendable () -> Int64 = { 0 }, beforeScrape: @escaping @Sendable () -> Void = {},
        metricsToken: String?
    ) {
        self.registry = registry
        self.health = health
        self.catalogHealth = catalogHealth
        self.now = now
        self.beforeScrape = beforeScrape
        self.metricsToken = metricsToken
    }

    public func register(on router: Router<SluiceRequestContext>) {
        let answer: @Sendable (Request, SluiceRequestContext) async throws -> Response = { _, _ in
            let report = HealthReport(
                pipeline: self.health(), catalog: self.catalogHealth(), nowMilliseconds: self.now())
            return JSONBody.response(report.status.isServing ? .ok : .serviceUnavailable, Self.body(report))
        }
        router.get("health", use: answer)
        router.get("healthz", use: answer)
        let metrics: @Sendable (Request, SluiceRequestContext) async throws -> Response = { _, _ in
            self.beforeScrape()
            var buffer: [UInt8] = []
            self.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        if let metricsToken {
            router.group("metrics").add(middleware: AdminTokenMiddleware(token: metricsToken)).get(use: metrics)
        } else {
            router.get("metrics", use: metrics)
        }
    }

    /// `{"status":...,"problems":[...],"components":{...}}`; `problems` only when there are some.
    static func body(_ report: HealthReport) -> ByteBuffer {
        var text = #"{"status":"# + JSONBody.quoted(report.status.rawValue)
        if !report.problems.isEmpty {
            text += #","problems":["#
            text += report.problems.map {
                #"{"code":"# + JSONBody.quoted($0.code) + #","message":"# + JSONBody.quoted($0.message) + "}"
            }.joined(separator: ",")
            text += "]"
        }
        text += #","components":{"#
        text += report.components.map { component in
            JSONBody.quoted(component.name) + #":{"status":"# + JSONBody.quoted(component.status)
                + component.figures.map { "," + JSONBody.quoted($0.0) + ":\($0.1)" }.joined() + "}"
        }.joined(separator: ",")
        text += "}}"
        return ByteBuffer(string: text)
    }
}
