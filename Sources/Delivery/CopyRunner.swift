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

/// How a node takes part in the shared, leased copy work.
public struct CopyLeaseSettings: Sendable, Hashable {
    /// Who holds the leases this node claims (its node id; the CLI uses one of its own).
    public var owner: String
    /// How long a claim holds before any node may take the work over (`copy.leaseSeconds`).
    public var leaseMilliseconds: Int64
    /// Rows claimed per claim statement.
    public var batchSize: Int

    public init(owner: String, leaseSeconds: Int = 20, batchSize: Int = 8) {
        self.owner = owner
        self.leaseMilliseconds = Int64(max(1, leaseSeconds)) * 1000
        self.batchSize = max(1, batchSize)
    }

    /// Leases are renewed three times per lease time, so one late renewal never loses them.
    var renewEveryMilliseconds: Int64 { max(100, leaseMilliseconds / 3) }
}

/// The copy as leased work: claims due (staged file, destination) rows from the catalog a few at a time, copies
/// them outside any transaction (renewing the leases meanwhile), and records each under the lease's fence; then
/// claims again until nothing is due. Any number of nodes drain the same work at once, each row by one of them.
///
/// ```swift
/// let runner = CopyRunner(catalog: catalog, staging: staging, connector: connector, copier: copier,
///                         leases: CopyLeaseSettings(owner: "node-a"), logger: logger)
/// let report = try await runner.run()   // sluice copy --now
/// ```
public struct CopyRunner: Sendable {
    let catalog: any DeliveryCatalog
    let staging: any ArchiveStore
    let connector: any DestinationConnector
    let copier: DestinationCopier
    let retention: Retention
    let leases: CopyLeaseSettings
    let retryBackoff: Backoff
    let logger: Logger

    public init(
        catalog: any DeliveryCatalog, staging: any ArchiveStore, connector: any DestinationConnector,
        copier: DestinationCopier, retention: Retention = .days(nil),
        leases: CopyLeaseSettings = CopyLeaseSettings(owner: "local"), retryBackoff: Backoff = .destination,
        logger: Logger
    ) {
        self.catalog = catalog
        self.staging = staging
        self.connector = connector
        self.copier = copier
        self.retention = retention
        self.leases = leases
        self.retryBackoff = retryBackoff
        self.logger = logger
    }

    /// A run for the whole cluster now (`sluice copy --now`, the admin API): makes everything owed due, copies
    /// until nothing is due (waiting for work other nodes hold, which they finish, or which comes back here when
    /// their lease expires), records every enabled destination's outcome, then applies retention.
    public func run() async throws(DeliveryError) -> CopyRunReport {
        try await StagingBackfill(ledger: catalog, staging: staging, now: copier.now, logger: logger).runOnce()
        _ = try await catalogCall { () throws(CatalogError) in
            try await catalog.requestCopyRun(nowMilliseconds: copier.now())
        }
        var report = try await drain()
        while !Task.isCancelled,
            try await catalogCall({ () throws(CatalogError) in
                try await catalog.copyWorkCounts(nowMilliseconds: copier.now()).due
            }) > 0
        {
            try? await copier.sleep(500)
            report.merge(try await drain())
        }
        let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
        for destination in destinations
        where destination.enabled
            && !report.destinations.contains(where: {
                $0.destinationID == destination.id
            })
        {
            report.destinations.append(DestinationRunResult(destinationID: destination.id))
            try await recordSuccess(destination.id)
        }
        report.destinations.sort { $0.destinationID < $1.destinationID }
        report.expired = try await applyRetention()
        logger.info(
            "copy run finished",
            metadata: ["copy.delivered": "\(report.deliveredFiles)", "copy.failed": "\(report.failed.count)"])
        return report
    }

    /// Claims and copies due work until none is left to claim; a destination that copied without a failure is
    /// recorded as a success (failures are recorded when they happen, with the backoff of their work).
    public func drain() async throws(DeliveryError) -> CopyRunReport {
        var report = CopyRunReport()
        while !Task.isCancelled {
            let claimed = try await catalogCall { () throws(CatalogError) in
                try await catalog.claimCopyWork(
                    owner: leases.owner, limit: leases.batchSize, leaseMilliseconds: leases.leaseMilliseconds,
                    nowMilliseconds: copier.now())
            }
            if claimed.isEmpty { break }
            let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
            var byID: [String: Destination] = [:]
            for destination in destinations { byID[destination.id] = destination }
            var batch = CopyRunReport()
            batch.destinations = await copyLeased(claimed, destinations: byID)
            report.merge(batch)
        }
        for result in report.destinations where result.error == nil && result.deliveredFiles > 0 {
            try await recordSuccess(result.destinationID)
        }
        return report
    }

    func recordSuccess(_ id: String) async throws(DeliveryError) {
        try await catalogCall { () throws(CatalogError) in
            try await catalog.recordRun(destinationID: id, atMilliseconds: copier.now(), error: nil)
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

    /// Deletes staged files retention lets go (from the store, then their ledger rows).
    func applyRetention() async throws(DeliveryError) -> [String] {
        guard retention.keepMilliseconds != nil else { return [] }
        let staged = try await catalogCall { () throws(CatalogError) in try await catalog.stagedFiles(sourceID: nil) }
            .map { StagedObject(key: $0.key, size: $0.size) }
        let destinations = try await catalogCall { () throws(CatalogError) in try await catalog.destinations() }
        let delivered = try await ledgers(destinations)
        let expired = retention.expired(
            staged: staged, destinations: destinations, delivered: delivered, now: copier.now())
        for key in expired { try await staging.deleteStaged(key: key) }
        if !expired.isEmpty {
            try await catalogCall { () throws(CatalogError) in try await catalog.forgetStaged(keys: expired) }
            logger.info("retention deleted staged files", metadata: ["copy.expired": "\(expired.count)"])
        }
        return expired
    }
}

extension CopyRunReport {
    /// Adds another pass's results, per destination.
    mutating func merge(_ other: CopyRunReport) {
        for result in other.destinations {
            if let index = destinations.firstIndex(where: { $0.destinationID == result.destinationID }) {
                destinations[index].merge(result)
            } else {
                destinations.append(result)
            }
        }
        expired += other.expired
    }
}

extension DestinationRunResult {
    mutating func merge(_ other: DestinationRunResult) {
        deliveredFiles += other.deliveredFiles
        deliveredBytes += other.deliveredBytes
        pendingFiles += other.pendingFiles
        pendingBytes += other.pendingBytes
        lostLeases += other.lostLeases
        error = other.error ?? error
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
