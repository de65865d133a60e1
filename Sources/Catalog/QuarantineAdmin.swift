/// Day-two work on the quarantine: listing rows with their ids (so a replay can remove exactly what it
/// re-submitted), removing rows, and retention.
public protocol QuarantineAdmin: Sendable {
    /// A source's quarantined events received at or after `sinceMilliseconds`, at most `limit`, oldest first (or
    /// the newest `limit`, newest first).
    func quarantineEntries(sourceID: String, sinceMilliseconds: Int64, limit: Int, newestFirst: Bool)
        async throws(CatalogError) -> [QuarantineEntry]
    /// Removes these rows of a source (ids of other sources are left alone); returns how many went.
    @discardableResult
    func removeQuarantined(sourceID: String, ids: [Int64]) async throws(CatalogError) -> Int
    /// Retention: removes every row received before `beforeMilliseconds`; returns how many went.
    @discardableResult
    func removeQuarantined(receivedBefore beforeMilliseconds: Int64) async throws(CatalogError) -> Int
}

/// A quarantined event with the catalog's id for its row.
public struct QuarantineEntry: Sendable, Hashable {
    public let id: Int64
    public let event: QuarantinedEvent

    public init(id: Int64, event: QuarantinedEvent) {
        self.id = id
        self.event = event
    }
}
