import Hummingbird
import NIOCore
import Prometheus

/// `/health` (liveness and readiness) and `/metrics` (Prometheus text format).
public struct OperationsAPI: Sendable {
    let registry: PrometheusCollectorRegistry
    let isReady: @Sendable () -> Bool

    public init(registry: PrometheusCollectorRegistry, isReady: @escaping @Sendable () -> Bool) {
        self.registry = registry
        self.isReady = isReady
    }

    public func register(on router: Router<SluiceRequestContext>) {
        router.get("health") { _, _ in
            let ready = self.isReady()
            return JSONBody.response(
                ready ? .ok : .serviceUnavailable, ByteBuffer(string: #"{"status":"\#(ready ? "ok" : "starting")"}"#))
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            self.registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
