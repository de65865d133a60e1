import Hummingbird
import NIOCore
import Prometheus

/// `/health` (liveness and readiness) and `/metrics` (Prometheus text format). On the main listener `/metrics` needs
/// the admin token (`Authorization: Bearer`, as Prometheus' `authorization` scrape setting sends it); on a separate
/// metrics listener (`--metrics-listen`), reachable only where the operator binds it, it needs none.
public struct OperationsAPI: Sendable {
    let registry: PrometheusCollectorRegistry
    let isReady: @Sendable () -> Bool
    /// nil: `/metrics` is open (the separate metrics listener).
    let metricsToken: String?

    public init(registry: PrometheusCollectorRegistry, isReady: @escaping @Sendable () -> Bool, metricsToken: String?) {
        self.registry = registry
        self.isReady = isReady
        self.metricsToken = metricsToken
    }

    public func register(on router: Router<SluiceRequestContext>) {
        router.get("health") { _, _ in
            let ready = self.isReady()
            return JSONBody.response(
                ready ? .ok : .serviceUnavailable, ByteBuffer(string: #"{"status":"\#(ready ? "ok" : "starting")"}"#))
        }
        let metrics: @Sendable (Request, SluiceRequestContext) async throws -> Response = { _, _ in
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
}
