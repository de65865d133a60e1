/// A claimed piece of copy work: one staged file owed to one destination, held by one node until
/// `expiresAtMilliseconds`. `epoch` grows with every claim, so a node whose lease expired (and was claimed again)
/// can no longer complete it: the fence.
public struct CopyLease: Sendable, Hashable {
    public let destinationID: String
    public let stagedKey: String
    public let size: Int64
    public let owner: String
    public let epoch: Int64
    public var expiresAtMilliseconds: Int64

    public init(
        destinationID: String, stagedKey: String, size: Int64, owner: String, epoch: Int64,
        expiresAtMilliseconds: Int64
    ) {
        self.destinationID = destinationID
        self.stagedKey = stagedKey
        self.size = size
        self.owner = owner
        self.epoch = epoch
        self.expiresAtMilliseconds = expiresAtMilliseconds
    }
}

/// Copy as leased work, shared by every node on one catalog: a work row per (staged file, destination) that any
/// node claims for a few seconds, renews while it copies, and completes under a fence.
///
/// No statement here holds a transaction open across a copy: a claim, a renewal and a completion are each one
/// short transaction, and a completed row is deleted (its delivery row stays), so the work table stays as small as
/// the backlog and vacuum is never pinned by a long-lived snapshot.
public protocol CopyWorkQueue: Sendable {
    /// Claims the run of the scheduled `slot` (an epoch millisecond every node computes alike) with a
    /// compare-and-set: true for exactly one caller per slot, false when this or a later slot was already claimed.
    func claimScheduledRun(slot: Int64) async throws(CatalogError) -> Bool
    /// Starts a copy run for the cluster: creates the work every enabled destination is owed (staged files of its
    /// source without a delivery row: a new or re-enabled destination gets its whole backlog) and makes all work
    /// due now, also work waiting out a destination's backoff. Returns how many rows are due.
    @discardableResult
    func requestCopyRun(nowMilliseconds: Int64) async throws(CatalogError) -> Int
    /// Claims up to `limit` due rows of enabled destinations that no live lease holds (`FOR UPDATE SKIP LOCKED`:
    /// concurrent claimers get disjoint rows), for `owner` until `now + leaseMilliseconds`, each with a new epoch.
    func claimCopyWork(owner: String, limit: Int, leaseMilliseconds: Int64, nowMilliseconds: Int64)
        async throws(CatalogError) -> [CopyLease]
    /// Extends the leases `owner` still holds (same epoch); returns those renewed, without the lost ones.
    func renewCopyLeases(_ leases: [CopyLease], leaseMilliseconds: Int64, nowMilliseconds: Int64)
        async throws(CatalogError) -> [CopyLease]
    /// Records a finished copy if the lease still holds (owner and epoch unchanged): deletes the work row and
    /// writes the delivery row in one transaction. False when the lease was lost: nothing is recorded.
    func completeCopyWork(_ lease: CopyLease, delivery: DeliveryRecord) async throws(CatalogError) -> Bool
    /// Gives leases back unfinished (a failing destination), due again at `retryAtMilliseconds`. Fenced like
    /// completion: a lease lost meanwhile is left alone.
    func releaseCopyWork(_ leases: [CopyLease], retryAtMilliseconds: Int64) async throws(CatalogError)
    /// Work rows of enabled destinations not yet completed: `due` ones (claimable or leased now) and all of them
    /// (work of a disabled destination waits, uncounted, until it is enabled again).
    func copyWorkCounts(nowMilliseconds: Int64) async throws(CatalogError) -> (due: Int, total: Int)
}
