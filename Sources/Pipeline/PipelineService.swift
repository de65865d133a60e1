import Logging
import ServiceLifecycle
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
