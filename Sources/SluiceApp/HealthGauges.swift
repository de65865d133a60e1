import Catalog
import Metrics
import Pipeline
import Synchronization

/// The health figures in `/metrics`, brought up to date at each scrape from the snapshots the health routes use:
/// `sluice_catalog_up` (1 while the catalog answers), `sluice_catalog_seconds_since_success`,
/// `sluice_catalog_errors_total` (calls that could not reach it) and `sluice_staging_up` (0 while closed batches
/// wait to be staged).
final class HealthGauges: Sendable {
    let catalog: CatalogHealth
    let pipeline: @Sendable () -> PipelineHealth
    let now: @Sendable () -> Int64
    let startedAtMilliseconds: Int64
    /// Errors already added to the counter.
    let counted = Mutex(0)
    let catalogUp = Gauge(label: "sluice_catalog_up")
    let secondsSinceSuccess = Gauge(label: "sluice_catalog_seconds_since_success")
    let catalogErrors = Counter(label: "sluice_catalog_errors_total")
    let stagingUp = Gauge(label: "sluice_staging_up")

    init(
        catalog: CatalogHealth, pipeline: @escaping @Sendable () -> PipelineHealth, now: @escaping @Sendable () -> Int64
    ) {
        self.catalog = catalog
        self.pipeline = pipeline
        self.now = now
        startedAtMilliseconds = now()
    }

    func update() {
        let snapshot = catalog.snapshot
        let time = now()
        catalogUp.record(snapshot.isUp ? 1 : 0)
        // An embedded catalog records nothing (it cannot be unreachable): 0 then.
        let last = snapshot.lastSuccessMilliseconds ?? (snapshot.isUp ? time : startedAtMilliseconds)
        secondsSinceSuccess.record(Double(max(0, time - last)) / 1000)
        let new = counted.withLock { counted in
            defer { counted = max(counted, snapshot.errorCount) }
            return max(0, snapshot.errorCount - counted)
        }
        catalogErrors.increment(by: new)
        stagingUp.record(pipeline().unstoredBatches == 0 ? 1 : 0)
    }
}
