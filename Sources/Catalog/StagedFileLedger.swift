/// One closed batch file in the staging store, as the staged-file ledger records it.
public struct StagedFile: Sendable, Hashable {
    /// The staging key, `segment-logs/{source}/{received-day}/{file}.gz` (as `ObjectKey.parse` reads it).
    public let key: String
    public let sourceID: String
    /// The received day's first epoch millisecond (the day folder).
    public let receivedDayMilliseconds: Int64
    public let size: Int64
    /// The hex MD5 of the file, recorded at upload; nil for a row backfilled from a listing of the staging store.
    public let checksum: String?
    /// The 12-hex writer id of the node that closed the batch (the file name's node field).
    public let writer: String
    public let stagedAtMilliseconds: Int64

    public init(
        key: String, sourceID: String, receivedDayMilliseconds: Int64, size: Int64, checksum: String?, writer: String,
        stagedAtMilliseconds: Int64
    ) {
        self.key = key
        self.sourceID = sourceID
        self.receivedDayMilliseconds = receivedDayMilliseconds
        self.size = size
        self.checksum = checksum
        self.writer = writer
        self.stagedAtMilliseconds = stagedAtMilliseconds
    }
}

/// The staged-file ledger: a row per staged file, written after the upload to staging and before the batch leaves
/// the spool. The copy plans from it (never from a listing of the staging store), and retention deletes its rows
/// with the files.
public protocol StagedFileLedger: Sendable {
    /// Records a staged file, idempotently (a batch re-uploaded after a crash under the same deterministic key is
    /// a no-op, never a second row), and in the same transaction creates its copy work for every enabled
    /// destination of its source that has not received it (waiting for the next run).
    func recordStaged(_ file: StagedFile) async throws(CatalogError)
    /// Records many files as `recordStaged` does (the backfill of staged files from a listing).
    func recordStaged(_ files: [StagedFile]) async throws(CatalogError)
    /// The staged files of one source (every source when nil), by key.
    func stagedFiles(sourceID: String?) async throws(CatalogError) -> [StagedFile]
    /// Removes the ledger rows of files retention deleted, with their copy work and delivery rows.
    func forgetStaged(keys: [String]) async throws(CatalogError)
    /// A named one-time step already done (e.g. the backfill of existing staged files).
    func hasCompletedOnce(_ name: String) async throws(CatalogError) -> Bool
    func markCompletedOnce(_ name: String, atMilliseconds: Int64) async throws(CatalogError)
}
