import Catalog
import Logging
import Storage

/// What one run did.
public struct CopyRunReport: Sendable {
    public var destinations: [DestinationRunResult] = []
    /// Staged files retention deleted after the run.
    public var expired: [String] = []

    public var deliveredFiles: Int { destinations.reduce(0) { $0 + $1.deliveredFiles } }
    public var failed: [DestinationRunResult] { destinations.filter { $0.error != nil } }
}

/// One copy run: plans every enabled destination's owed files, copies them with one task per destination (a
/// failing destination never holds up the others), records each destination's outcome, then applies retention.
///
/// ```swift
/// let runner = CopyRunner(catalog: catalog, staging: staging, connector: connector, copier: copier, logger: logger)
/// let report = try await runner.run()
/// ```
public struct CopyRunner: Sendable {
    let catalog: any DestinationCatalog
    let staging: any ArchiveStore
    let connector: any DestinationConnector
    let copier: DestinationCopier
    let retention: Retention
    let logger: Logger

    public init(
        catalog: any DestinationCatalog, staging: any ArchiveStore, connector: any DestinationConnector,
        copier: DestinationCopier, retention: Retention = .days(nil), logger: Logger
    ) {
        self.catalog = catalog
        self.staging = staging
        self.connector = connector
        self.copier = copier
        self.retention = retention
        self.logger = logger
    }

    /// Runs once for every enabled destination, or only those in `only`.
    public func run(only: Set<String>? = nil) async throws(DeliveryError) -> CopyRunReport {
        let staged = try await staging.stagedObjects()
        let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
            .filter { only?.contains($0.id) ?? true }
        let delivered = try await ledgers(destinations)
        let (plans, invalid) = DeliveryPlanner.plan(staged: staged, destinations: destinations, delivered: delivered)
        var report = CopyRunReport()
        for (destination, error) in invalid {
            var result = DestinationRunResult(destinationID: destination.id)
            result.error = error
            report.destinations.append(result)
        }
        report.destinations += await withTaskGroup(of: DestinationRunResult.self) { group in
            for plan in plans { group.addTask { await copy(plan) } }
            var results: [DestinationRunResult] = []
            for await result in group { results.append(result) }
            return results
        }
        for result in report.destinations {
            try await catalogCall { () throws(CatalogError) in
                try await catalog.recordRun(
                    destinationID: result.destinationID, atMilliseconds: copier.now(), error: result.error?.message)
            }
        }
        if only == nil { report.expired = try await applyRetention(staged: staged) }
        logger.info(
            "copy run finished",
            metadata: ["copy.delivered": "\(report.deliveredFiles)", "copy.failed": "\(report.failed.count)"])
        return report
    }

    func copy(_ plan: DestinationPlan) async -> DestinationRunResult {
        guard !plan.items.isEmpty else { return DestinationRunResult(destinationID: plan.target.destination.id) }
        do {
            let bucket = try await connector.bucket(for: plan.target)
            return await copier.copy(plan, to: bucket)
        } catch {
            var result = DestinationRunResult(destinationID: plan.target.destination.id)
            result.error = DeliveryAdvice.explain(
                error, target: plan.target, key: plan.target.address.segmentLogsPrefix)
            result.pendingFiles = plan.items.count
            result.pendingBytes = plan.pendingBytes
            return result
        }
    }

    func ledgers(_ destinations: [Destination]) async throws(DeliveryError) -> [String: Set<String>] {
        var delivered: [String: Set<String>] = [:]
        for destination in destinations {
            delivered[destination.id] = try await catalogCall { () throws(CatalogError) in
                try await catalog.deliveredKeys(destinationID: destination.id)
            }
        }
        return delivered
    }

    func applyRetention(staged: [StagedObject]) async throws(DeliveryError) -> [String] {
        guard retention.keepMilliseconds != nil else { return [] }
        // Read again: a destination added while this run copied is owed these files too.
        let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
        let delivered = try await ledgers(destinations)
        let expired = retention.expired(
            staged: staged, destinations: destinations, delivered: delivered, now: copier.now())
        for key in expired { try await staging.deleteStaged(key: key) }
        if !expired.isEmpty {
            try await catalogCall { () throws(CatalogError) in try await catalog.forgetDeliveries(stagedKeys: expired) }
            logger.info("retention deleted staged files", metadata: ["copy.expired": "\(expired.count)"])
        }
        return expired
    }
}

/// Runs a catalog call, turning its error into a `DeliveryError`.
func catalogCall<T>(_ body: () async throws(CatalogError) -> T) async throws(DeliveryError) -> T {
    do {
        return try await body()
    } catch {
        throw DeliveryError(.catalog, error.message, underlying: error)
    }
}
