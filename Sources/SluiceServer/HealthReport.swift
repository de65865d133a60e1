import Catalog
import Pipeline

/// What `/health` and `/healthz` answer, worked out from plain snapshots (no I/O): the overall status, the problems
/// (codes and counts only: the route is unauthenticated) and one entry per component.
///
/// - `starting` (503) until spool recovery ends; `unavailable` (503) while the spool refuses events: only then
///   does a load balancer need to send traffic elsewhere.
/// - `degraded` (200) while events are still taken but something lags: the catalog does not answer (known write
///   keys keep working), or closed batches wait to be staged.
/// - `ok` (200) otherwise.
///
/// ```swift
/// let report = HealthReport(pipeline: pipeline.health, catalog: catalogHealth.snapshot, nowMilliseconds: now())
/// report.status  // .degraded
/// ```
public struct HealthReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, degraded, starting, unavailable
        /// Only a node that cannot take events answers 503.
        public var isServing: Bool { self == .ok || self == .degraded }
    }

    /// One thing that lags or fails.
    public struct Problem: Sendable, Equatable {
        public let code: String
        public let message: String
    }

    /// A component's state: `ok`, or a word for what is wrong, with numbers.
    public struct Component: Sendable, Equatable {
        public let name: String
        public let status: String
        public let figures: [(String, Int64)]

        public static func == (a: Component, b: Component) -> Bool {
            a.name == b.name && a.status == b.status && a.figures.map(\.0) == b.figures.map(\.0)
                && a.figures.map(\.1) == b.figures.map(\.1)
        }
    }

    public let status: Status
    public let problems: [Problem]
    public let components: [Component]

    public init(pipeline: PipelineHealth, catalog: CatalogHealth.Snapshot, nowMilliseconds now: Int64) {
        var problems: [Problem] = []
        var components: [Component] = []
        if let refusal = pipeline.spoolRefusal {
            problems.append(
                Problem(
                    code: "spool_" + refusal.code,
                    message: "the spool refuses events (\(refusal.code)); see /admin/status and the server log"))
            components.append(Component(name: "spool", status: "refusing", figures: []))
        } else {
            components.append(Component(name: "spool", status: "ok", figures: []))
        }
        if let since = catalog.unreachableSinceMilliseconds {
            let seconds = max(0, now - since) / 1000
            problems.append(
                Problem(
                    code: "catalog_unreachable",
                    message: "the catalog database has not answered for \(seconds) s; known write keys are still "
                        + "accepted, unknown ones get 503 until it is back; see /admin/status"))
            var figures = [("unreachableSinceMilliseconds", since)]
            if let last = catalog.lastSuccessMilliseconds { figures.append(("lastSuccessMilliseconds", last)) }
            components.append(Component(name: "catalog", status: "unreachable", figures: figures))
        } else {
            components.append(Component(name: "catalog", status: "ok", figures: []))
        }
        if pipeline.unstoredBatches > 0 {
            problems.append(
                Problem(
                    code: "batches_unstored",
                    message: "\(pipeline.unstoredBatches) closed batch(es) not stored yet, retried (their events are "
                        + "in the spool); see /admin/status"))
            components.append(
                Component(
                    name: "staging", status: "lagging",
                    figures: [("unstoredBatches", Int64(pipeline.unstoredBatches))]))
        } else {
            components.append(Component(name: "staging", status: "ok", figures: []))
        }
        self.problems = problems
        self.components = components
        status =
            !pipeline.ready
            ? .starting
            : pipeline.spoolRefusal != nil ? .unavailable : problems.isEmpty ? .ok : .degraded
    }
}
