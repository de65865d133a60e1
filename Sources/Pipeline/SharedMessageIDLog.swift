/// The cluster's shared record of accepted messageIds (PostgreSQL in a cluster), consulted after a node's own index
/// said "new" and its spool record is durable: events another node accepted first are left out of the batch.
/// `Dedupe.ClusterDeduplicator` implements it.
public protocol SharedMessageIDLog: Sendable {
    /// Records `newIDs` (the client messageIds of `record`'s events that the node's index did not know) and returns
    /// the record without the events whose id another node recorded first, with how many were left out. When the
    /// shared log cannot be reached it returns the record unchanged (local de-duplication only) and says so.
    func admit(_ record: EventsRecord, newIDs: [[UInt8]]) async -> (record: EventsRecord?, dropped: Int)
}
