import Logging
import ServiceLifecycle
import Spool
import Synchronization
import Storage

/// Runs the batcher: its writer lane, start-up recovery, the once-a-second tick (age and day-end closes), and on
/// graceful shutdown the drain that closes and stores every open batch.
public final class PipelineService: Service, Sendable {
    public let batcher: Batcher
    let spool: any SpoolLog
    let store: any ArchiveStore
    let dataDirectory: String
    let logger: Logger
    let tickInterval: Duration
    let readiness = Atomic<Bool>(false)

    public init(
        batcher: Batcher, spool: any SpoolLog, store: any ArchiveStore, dataDirectory: String, logger: Logger,
        tickInterval: Duration = .seconds(1)
    ) {
        self.batcher = batcher
        self.spool = spool
        self.store = store
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.tickInterval = tickInterval
    }

    /// True once recovery finished; until then ingest answers 503.
    public var isReady: Bool { readiness.load(ordering: .acquiring) }

    /// What keeps the pipeline from working fully right now, for `/health` and `/admin/status`.
    public var health: PipelineHealth {
        let usage = spool.usage
        return PipelineHealth(
            ready: isReady, spoolRefusal: usage.refusal, spoolRetainedBytes: usage.retainedBytes,
            unstoredBatches: batcher.storeHealth.unstoredBatches, lastStoreError: batcher.storeHealth.lastError)
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let batcher = self.batcher
            group.addTask { await batcher.runLane() }
            _ = try await Recovery.run(
                spool: spool, store: store, batcher: batcher, dataDirectory: dataDirectory, logger: logger)
            readiness.store(true, ordering: .releasing)
            let interval = tickInterval
            // The ticker stops when graceful shutdown starts; the lane keeps running until drained.
            group.addTask {
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        await batcher.tick()
                    }
                }
            }
            try? await gracefulShutdown()
            readiness.store(false, ordering: .releasing)
            logger.info("draining open batches")
            await batcher.drain()
            try await group.waitForAll()
            logger.info("pipeline stopped")
        }
    }
}

/// A snapshot of the pipeline's health.
public struct PipelineHealth: Sendable, Equatable {
    /// Recovery finished.
    public var ready: Bool
    /// Why the spool refuses appends (ingest answers 503), if it does.
    public var spoolRefusal: SpoolUsage.Refusal?
    /// Bytes the spool retains: acknowledged events not yet in a stored batch (and sealed records not yet freed).
    public var spoolRetainedBytes: Int
    /// Closed batches not yet stored (retried; their events are in the spool).
    public var unstoredBatches: Int
    /// Why the last attempt to store a batch failed.
    public var lastStoreError: String?
}
