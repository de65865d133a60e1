/// Destinations, the delivery ledger and the copy job's state, as the delivery side of Sluice sees them.
/// `CatalogSQLite.SQLiteCatalog` is the embedded implementation.
///
/// The ledger is what makes delivery exactly once: a (destination, staged key) row is written only after the
/// object is durably in the destination bucket, and a destination key is a pure function of the staged key, so
/// redoing an unrecorded copy rewrites the same object with the same bytes.
public protocol DestinationCatalog: Sendable {
    /// Stores a new destination. A destination with the same source, bucket string and endpoint is a duplicate.
    func createDestination(_ destination: Destination) async throws(CatalogError)
    /// Every destination, oldest first.
    func destinations() async throws(CatalogError) -> [Destination]
    /// The destination with this id, or nil.
    func destination(id: String) async throws(CatalogError) -> Destination?
    /// Replaces a destination's settings (same id); `.notFound` when it does not exist.
    func updateDestination(_ destination: Destination) async throws(CatalogError)
    /// Removes a destination with its ledger and status; `.notFound` when it does not exist.
    func removeDestination(id: String) async throws(CatalogError)

    /// Staged keys already delivered to the destination.
    func deliveredKeys(destinationID: String) async throws(CatalogError) -> Set<String>
    /// Records that a staged file is in the destination bucket (idempotent).
    func recordDelivery(_ record: DeliveryRecord) async throws(CatalogError)
    /// Ledger rows delivered at or after `sinceMilliseconds` (every destination), newest first, at most `limit`
    /// (the console's files-per-hour chart and delivery lag).
    func deliveries(sinceMilliseconds: Int64, limit: Int) async throws(CatalogError) -> [DeliveryRecord]
    /// Forgets ledger rows of staged files that retention removed.
    func forgetDeliveries(stagedKeys: [String]) async throws(CatalogError)

    /// What the last runs did for a destination, or nil before its first run.
    func destinationState(id: String) async throws(CatalogError) -> DestinationState?
    /// Records the outcome of one run for a destination: `error` nil means it ended with nothing left to copy.
    func recordRun(destinationID: String, atMilliseconds: Int64, error: String?) async throws(CatalogError)

    /// Start time of the last scheduled copy run, or nil before the first.
    func lastScheduledRun() async throws(CatalogError) -> Int64?
    func setLastScheduledRun(_ milliseconds: Int64) async throws(CatalogError)
}

/// One ledger row: a staged file delivered to a destination.
public struct DeliveryRecord: Sendable, Hashable {
    public let destinationID: String
    public let stagedKey: String
    public let size: Int64
    /// The ETag the destination reported, when it reported one.
    public let eTag: String?
    public let deliveredAtMilliseconds: Int64

    public init(destinationID: String, stagedKey: String, size: Int64, eTag: String?, deliveredAtMilliseconds: Int64) {
        self.destinationID = destinationID
        self.stagedKey = stagedKey
        self.size = size
        self.eTag = eTag
        self.deliveredAtMilliseconds = deliveredAtMilliseconds
    }
}

/// A destination's run history, for status.
public struct DestinationState: Sendable, Hashable {
    public let destinationID: String
    /// The last run that ended with everything delivered.
    public var lastSuccessMilliseconds: Int64?
    public var lastAttemptMilliseconds: Int64?
    /// The last failure, in plain words, and when it happened (kept after a later success, for status).
    public var lastError: String?
    public var lastErrorMilliseconds: Int64?
    /// Failed runs since the last success (drives the retry backoff).
    public var consecutiveFailures: Int

    public init(
        destinationID: String, lastSuccessMilliseconds: Int64? = nil, lastAttemptMilliseconds: Int64? = nil,
        lastError: String? = nil, lastErrorMilliseconds: Int64? = nil, consecutiveFailures: Int = 0
    ) {
        self.destinationID = destinationID
        self.lastSuccessMilliseconds = lastSuccessMilliseconds
        self.lastAttemptMilliseconds = lastAttemptMilliseconds
        self.lastError = lastError
        self.lastErrorMilliseconds = lastErrorMilliseconds
        self.consecutiveFailures = consecutiveFailures
    }
}

extension Identifiers {
    /// A new destination id: 22 base62 characters.
    public static func newDestinationID() -> String { random(22) }
}
