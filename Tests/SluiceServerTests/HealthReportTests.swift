import Catalog
import Testing

@testable import Pipeline
@testable import SluiceServer
@testable import Spool

/// The health answer from plain snapshots: an unreachable catalog or unstored batches degrade (200) a node that
/// still takes events; only a refusing spool (or recovery) makes it 503.
@Suite struct HealthReportTests {
    static let ready = PipelineHealth(
        ready: true, spoolRefusal: nil, spoolRetainedBytes: 0, unstoredBatches: 0, lastStoreError: nil)

    @Test func everythingAnsweringIsOK() {
        let report = HealthReport(
            pipeline: Self.ready, catalog: CatalogHealth.Snapshot(lastSuccessMilliseconds: 5), nowMilliseconds: 9)
        #expect(report.status == .ok && report.problems.isEmpty)
        #expect(report.components.map(\.status) == ["ok", "ok", "ok"])
        #expect(String(buffer: OperationsAPI.body(report)).contains(#""catalog":{"status":"ok"}"#))
    }

    @Test func anUnreachableCatalogIsDegradedNotUnavailable() {
        let catalog = CatalogHealth()
        catalog.succeeded(atMilliseconds: 1_000)
        catalog.failed(atMilliseconds: 2_000, message: "connection refused")
        catalog.failed(atMilliseconds: 3_000, message: "connection refused")
        #expect(catalog.snapshot.unreachableSinceMilliseconds == 2_000 && catalog.snapshot.errorCount == 2)
        let report = HealthReport(pipeline: Self.ready, catalog: catalog.snapshot, nowMilliseconds: 12_000)
        #expect(report.status == .degraded && report.status.isServing)
        #expect(report.problems.map(\.code) == ["catalog_unreachable"])
        #expect(report.problems.first?.message.contains("10 s") == true)
        let body = String(buffer: OperationsAPI.body(report))
        #expect(
            body.contains(
                #""catalog":{"status":"unreachable","unreachableSinceMilliseconds":2000,"lastSuccessMilliseconds":1000}"#
            ), "\(body)")
        #expect(!body.contains("connection refused"), "errors only in /admin/status")

        catalog.succeeded(atMilliseconds: 13_000)
        #expect(HealthReport(pipeline: Self.ready, catalog: catalog.snapshot, nowMilliseconds: 13_000).status == .ok)
    }

    @Test func unstoredBatchesDegradeAndARefusingSpoolIsUnavailable() {
        var lagging = Self.ready
        lagging.unstoredBatches = 2
        let degraded = HealthReport(pipeline: lagging, catalog: .init(), nowMilliseconds: 0)
        #expect(degraded.status == .degraded)
        #expect(degraded.components.first { $0.name == "staging" }?.status == "lagging")

        var refusing = lagging
        refusing.spoolRefusal = SpoolUsage.Refusal(code: "quota", message: "the spool is full")
        let full = HealthReport(pipeline: refusing, catalog: .init(unreachableSinceMilliseconds: 0), nowMilliseconds: 0)
        #expect(full.status == .unavailable && !full.status.isServing)
        #expect(full.problems.map(\.code) == ["spool_quota", "catalog_unreachable", "batches_unstored"])

        var starting = Self.ready
        starting.ready = false
        #expect(HealthReport(pipeline: starting, catalog: .init(), nowMilliseconds: 0).status == .starting)
    }
}
