import Hummingbird
import NIOCore
import Pipeline
import Prometheus

/// `/health` (liveness and readiness) and `/metrics` (Prometheus text format). On the main listener `/metrics` needs
/// the admin token (`Authorization: Bearer`, as Prometheus' `authorization` scrape setting sends it); on a separate
/// metrics listener (`--metrics-listen`), reachable only where the operator binds it, it needs none.
///
/// `/health` answers 200 `{"status":"ok"}`; 200 `{"status":"degraded","problems":[...]}` while events are taken
/// but something lags (a batch not stored yet); 503 `starting` during recovery, and 503 `unavailable` while the
/// spool refuses events (quota, disk full), so a load balancer sends traffic elsewhere.
public struct OperationsAPI: Sendable {
    let registry: PrometheusCollectorRegistry
    let health: @Sendable () -> PipelineHealth
    /// nil: `/metrics` is open (the separate metrics listener).
    let metricsToken: String?

    public init(
        registry: PrometheusCollectorRegistry, health: @escaping @Sendable () -> PipelineHealth,
        metricsToken: String?
    ) {
        self.registry = registry
        self.health = health
        self.metricsToken = metricsToken
    }

    public func register(on router: Router<SluiceRequestContext>) {
        router.get("health") { _, _ in
            let health = self.health()
            var problems: [String] = []
            // Unauthenticated: codes and counts only; paths and errors are in /admin/status and the log.
            if let refusal = health.spoolRefusal {
                problems.append(
                    Self.problem(
                        "spool_" + refusal.code,
                        "the spool refuses events (\(refusal.code)); see /admin/status and the server log"))
            }
            if health.unstoredBatches > 0 {
                problems.append(
                    Self.problem(
                        "batches_unstored",
                        "\(health.unstoredBatches) closed batch(es) not stored yet, retried (their events are in the "
                            + "spool); see /admin/status"))
            }
            let (status, word): (HTTPResponse.Status, String) =
                !health.ready
                ? (.serviceUnavailable, "starting")
                : health.spoolRefusal != nil
                    ? (.serviceUnavailable, "unavailable")
                    : problems.isEmpty ? (.ok, "ok") : (.ok, "degraded")
            let list = problems.isEmpty ? "" : #","problems":[\#(problems.joined(separator: ","))]"#
            return JSONBody.response(status, ByteBuffer(string: #"{"status":"\#(word)"\#(list)}"#))
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

    static func problem(_ code: String, _ message: String) -> String {
        #"{"code":"# + JSONBody.quoted(code) + #","message":"# + JSONBody.quoted(message) + "}"
    }
}
