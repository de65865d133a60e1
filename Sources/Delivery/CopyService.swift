import Catalog
import Logging
import ServiceLifecycle

/// The copy on every node, as a long-lived service. Once per cluster per slot (hourly at :40, or every interval),
/// one node claims the slot's run with a compare-and-set and makes the owed work due; every node's service polls
/// for due work every few seconds and drains it, so all nodes share the copying, and work whose holder died is
/// claimed again when its lease expires. A destination's failed work comes back after its backoff. At start the
/// ledger is brought level with the staging store (`StagingBackfill`). Stops on graceful shutdown; leases it held
/// are given back.
///
/// ```swift
/// let service = CopyService(runner: runner, catalog: catalog, schedule: .hourly(minute: 40),
///                           now: { wallClockMs() }, logger: logger)
/// let group = ServiceGroup(services: [service], logger: logger)
/// ```
public struct CopyService: Service {
    let runner: CopyRunner
    let catalog: any DeliveryCatalog
    let schedule: CopySchedule
    let pollMilliseconds: Int64
    let now: @Sendable () -> Int64
    let logger: Logger

    /// - Parameter pollMilliseconds: how often the node looks for due work (each look is one claim statement).
    public init(
        runner: CopyRunner, catalog: any DeliveryCatalog, schedule: CopySchedule, pollMilliseconds: Int64 = 2_000,
        now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.runner = runner
        self.catalog = catalog
        self.schedule = schedule
        self.pollMilliseconds = max(10, pollMilliseconds)
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        logger.info("copy scheduler started", metadata: ["copy.schedule": "\(schedule)"])
        do {
            try await StagingBackfill(ledger: catalog, staging: runner.staging, now: now, logger: logger).run()
        } catch {
            logger.error("cannot bring the staged-file ledger level with staging", metadata: ["error": "\(error)"])
        }
        let startedAt = now()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = pollMilliseconds
            do {
                let started = try await startDueRun(startedAt: startedAt)
                // On shutdown the drain is cancelled between uploads; the rest of its leases are given back.
                _ = try await cancelWhenGracefulShutdown { try await runner.drain() }
                if started { _ = try await runner.applyRetention() }
                let next = try await nextRun(startedAt: startedAt)
                wait = max(0, min(wait, next - now()))
            } catch {
                // The catalog is busy or failing: never take the server down for it; try again shortly.
                logger.error("copy failed", metadata: ["error": "\(error)"])
                wait = 5_000
            }
            if Task.isShuttingDownGracefully { break }
            let pause = wait
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(pause)) }
            } catch {
                break
            }
        }
        logger.info("copy scheduler stopped")
    }

    /// When the next scheduled run is due: after the last one the cluster ran, or, before any ran, at the first slot
    /// after this service started (a fresh install waits for its first :40).
    func nextRun(startedAt: Int64) async throws -> Int64 {
        guard let last = try await catalog.lastScheduledRun() else { return schedule.slot(after: startedAt) }
        return schedule.nextRun(lastRun: last, now: now())
    }

    /// Starts the scheduled run if one is due and this node wins its slot (exactly one node per slot does): the
    /// owed work becomes due for every node. True when this node started it.
    func startDueRun(startedAt: Int64) async throws -> Bool {
        let current = now()
        guard try await nextRun(startedAt: startedAt) <= current else { return false }
        guard try await catalog.claimScheduledRun(slot: schedule.slot(atOrBefore: current)) else { return false }
        let due = try await catalog.requestCopyRun(nowMilliseconds: current)
        logger.info("copy run started for the cluster", metadata: ["copy.due": "\(due)"])
        return true
    }
}
