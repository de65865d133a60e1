import Catalog
import Logging
import ServiceLifecycle

/// The hourly copy as a long-lived service: sleeps until the schedule's next run (a run missed during downtime
/// starts at once), runs it, and in between retries failing destinations with backoff. Stops on graceful
/// shutdown; an interrupted run resumes in the next one, because the ledger records every finished file.
///
/// ```swift
/// let service = CopyService(runner: runner, catalog: catalog, schedule: .hourly(minute: 40),
///                           now: { wallClockMs() }, logger: logger)
/// let group = ServiceGroup(services: [service], logger: logger)
/// ```
public struct CopyService: Service {
    let runner: CopyRunner
    let catalog: any DestinationCatalog
    let schedule: CopySchedule
    let retryBackoff: Backoff
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(
        runner: CopyRunner, catalog: any DestinationCatalog, schedule: CopySchedule,
        retryBackoff: Backoff = .destination, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.runner = runner
        self.catalog = catalog
        self.schedule = schedule
        self.retryBackoff = retryBackoff
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        logger.info("copy scheduler started", metadata: ["copy.schedule": "\(schedule)"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wake: (at: Int64, only: Set<String>?)
            do {
                wake = try await nextWake()
            } catch {
                // The catalog is busy or failing: never take the server down for it; try again shortly.
                logger.error("copy scheduler cannot read the catalog", metadata: ["error": "\(error)"])
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) } } catch { break }
                continue
            }
            let wait = wake.at - now()
            if wait > 0 {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(wait)) }
                } catch {
                    break
                }
                // The wall clock may have jumped, or the sleep been short: decide again.
                if now() < wake.at { continue }
            }
            if Task.isShuttingDownGracefully { break }
            do {
                if wake.only == nil { try await catalog.setLastScheduledRun(now()) }
                // On shutdown the run is cancelled between uploads; the ledger lets the next run resume.
                _ = try await cancelWhenGracefulShutdown { try await runner.run(only: wake.only) }
            } catch {
                logger.error("copy run failed", metadata: ["error": "\(error)"])
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) } } catch { break }
            }
        }
        logger.info("copy scheduler stopped")
    }

    /// The next scheduled run, or an earlier retry of failing destinations.
    func nextWake() async throws -> (at: Int64, only: Set<String>?) {
        let current = now()
        let scheduled = schedule.nextRun(lastRun: try await catalog.lastScheduledRun(), now: current)
        if scheduled <= current { return (scheduled, nil) }  // a full run is due: it retries everyone anyway
        var retries: [(at: Int64, id: String)] = []
        for destination in try await catalog.destinations() where destination.enabled {
            guard let state = try await catalog.destinationState(id: destination.id), state.consecutiveFailures > 0,
                let attempted = state.lastAttemptMilliseconds
            else { continue }
            retries.append((attempted + retryBackoff.delay(attempt: state.consecutiveFailures), destination.id))
        }
        guard let earliest = retries.map(\.at).min(), earliest < scheduled else { return (scheduled, nil) }
        let due = max(earliest, current)
        return (due, Set(retries.filter { $0.at <= due }.map(\.id)))
    }
}
