/// Remembers the `messageId`s of accepted events, so that a client's retry is answered as usual but archived once.
/// `Dedupe.Deduplicator` implements it; the root passes one to `Ingestor` when de-duplication is on.
public protocol MessageIDFilter: Sendable {
    /// Says which of `ids` were already accepted (`nil`: the event has no client `messageId` and is never a
    /// duplicate), counting an id repeated inside `ids` as a duplicate of its first occurrence, and reserves the
    /// new ones until `settle`. Waits while another request holds a reservation on one of them, so two concurrent
    /// retries of one event cannot both pass.
    func claim(_ ids: [[UInt8]?], receivedAtMilliseconds: Int64) async -> MessageIDClaim
    /// Records the reserved ids as accepted (`accepted`: their record is durable) or frees them (it was refused).
    func settle(_ claim: MessageIDClaim, accepted: Bool) async
}

/// The outcome of `MessageIDFilter.claim`: which events are duplicates, and the ids reserved for the others.
public struct MessageIDClaim: Sendable {
    /// Per event of the claim, whether it is a duplicate; empty when none is.
    public var duplicates: [Bool]
    /// The ids reserved by this claim (the new ones), to be settled.
    public var reserved: [[UInt8]]
    /// When the events were received; new ids are remembered from then for the window.
    public var receivedAtMilliseconds: Int64

    public init(duplicates: [Bool] = [], reserved: [[UInt8]] = [], receivedAtMilliseconds: Int64 = 0) {
        self.duplicates = duplicates
        self.reserved = reserved
        self.receivedAtMilliseconds = receivedAtMilliseconds
    }

    /// Whether the event at `index` of the claim is a duplicate.
    public func isDuplicate(_ index: Int) -> Bool { index < duplicates.count && duplicates[index] }

    /// How many events of the claim are duplicates.
    public var duplicateCount: Int { duplicates.reduce(0) { $0 + ($1 ? 1 : 0) } }
}
