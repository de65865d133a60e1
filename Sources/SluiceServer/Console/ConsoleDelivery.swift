import Delivery
import Storage

/// What the console's destinations, overview and archive pages read and change: the same registry, copy runner,
/// catalog and staging store as the admin API and the copy scheduler.
public struct ConsoleDelivery: Sendable {
    let registry: DestinationRegistry
    let runner: CopyRunner
    let catalog: any DeliveryCatalog
    let staging: any ArchiveStore
    let schedule: CopySchedule

    public init(
        registry: DestinationRegistry, runner: CopyRunner, catalog: any DeliveryCatalog, staging: any ArchiveStore,
        schedule: CopySchedule
    ) {
        self.registry = registry
        self.runner = runner
        self.catalog = catalog
        self.staging = staging
        self.schedule = schedule
    }

    /// When the next scheduled copy starts, as the scheduler computes it from the cluster's last scheduled run.
    func nextScheduledCopy(now: Int64) async -> Int64 {
        let last = try? await catalog.lastScheduledRun()
        guard let last else { return schedule.slot(after: now) }
        return schedule.nextRun(lastRun: last, now: now)
    }
}
