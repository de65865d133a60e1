import Catalog
import Logging
import Storage

/// Brings the staged-file ledger level with the staging store: every staged batch file without a ledger row gets
/// one (checksum: the listing's ETag). This is how a data directory or catalog from before the ledger keeps its
/// staged files owed, and how a file uploaded just before a crash that prevented its ledger write is found after
/// the restart (recovery sees it stored and does not upload it again). One listing of the staging store and one
/// ledger read per call; inserts only for what is missing.
public struct StagingBackfill: Sendable {
    /// The name of the one-time backfill in the catalog.
    public static let onceName = "staged_ledger_backfill"

    let ledger: any StagedFileLedger
    let staging: any ArchiveStore
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(
        ledger: any StagedFileLedger, staging: any ArchiveStore, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.ledger = ledger
        self.staging = staging
        self.now = now
        self.logger = logger
    }

    /// Records what is missing; returns how many rows were added.
    @discardableResult
    public func run() async throws(DeliveryError) -> Int {
        let listed = try await staging.stagedObjects()
        let known = Set(
            try await catalogCall { () throws(CatalogError) in try await ledger.stagedFiles(sourceID: nil) }
                .map(\.key))
        let at = now()
        let missing = listed.filter { !known.contains($0.key) }.compactMap { object in
            object.stagedFile(checksum: nil, stagedAtMilliseconds: at)
        }
        if !missing.isEmpty {
            try await catalogCall { () throws(CatalogError) in try await ledger.recordStaged(missing) }
            logger.info("staged files recorded from a listing", metadata: ["copy.backfilled": "\(missing.count)"])
        }
        try await catalogCall { () throws(CatalogError) in
            try await ledger.markCompletedOnce(Self.onceName, atMilliseconds: at)
        }
        return missing.count
    }

    /// Runs once per catalog (the first copy on a catalog from before the ledger).
    public func runOnce() async throws(DeliveryError) {
        let done = try await catalogCall { () throws(CatalogError) in try await ledger.hasCompletedOnce(Self.onceName) }
        if !done { try await run() }
    }
}
