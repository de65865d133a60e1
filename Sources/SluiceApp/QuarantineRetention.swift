import Catalog
import Logging
import ServiceLifecycle

/// Quarantine retention: at start and then every `interval`, removes the quarantined events received longer ago
/// than `keepMilliseconds`. Every node of a cluster may run it; the deletes are idempotent. A catalog that is away
/// only costs a pass (logged).
struct QuarantineRetention: Service {
    let catalog: any QuarantineAdmin
    let keepMilliseconds: Int64
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await catalog.removeQuarantined(receivedBefore: now() - keepMilliseconds)
                if removed > 0 {
                    logger.info("quarantine retention removed events", metadata: ["quarantine.removed": "\(removed)"])
                }
            } catch {
                logger.warning("quarantine retention failed", metadata: ["error": "\(error.message)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
    }
}
