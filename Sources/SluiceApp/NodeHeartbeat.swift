import Catalog
import Logging
import Pipeline
import ServiceLifecycle
import Spool

/// Keeps this node's entry in the node registry fresh: a heartbeat with its figures every `interval`, and the
/// entry removed on a clean stop. A catalog that is away only costs heartbeats (logged); the node keeps serving.
struct NodeHeartbeat: Service {
    let registry: any NodeRegistry
    let record: NodeRecord
    let batcher: Batcher
    let spool: Spool
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    func run() async throws {
        var record = self.record
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            record.heartbeatAtMilliseconds = now()
            record.openBatches = await batcher.openBatchCount
            record.spoolBacklogBytes = Int64(spool.usage.retainedBytes)
            do {
                if try await !registry.heartbeat(record) {
                    logger.warning(
                        "this node's registry entry is gone or taken over", metadata: ["node.id": "\(record.id)"])
                }
            } catch {
                logger.warning("heartbeat failed", metadata: ["node.id": "\(record.id)", "error": "\(error.message)"])
            }
        }
        try? await registry.deregisterNode(id: record.id, instance: record.instance)
    }
}
