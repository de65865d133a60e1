/// Everything the enricher needs besides the event itself; all explicit, so enrichment stays a pure function.
public struct EnrichmentContext: Sendable {
    /// The source the write key belongs to; written as `projectId`.
    public var sourceID: String
    /// When the request was received (server clock), in milliseconds since the Unix epoch; written as `receivedAt`.
    public var receivedAtMilliseconds: Int64
    /// The client's address, written as `context.ip` when the event has none; nil to leave it out.
    public var peerIP: String?
    /// Makes `messageId`s for events without one.
    public var messageIDGenerator: MessageIDGenerator

    /// Creates a context.
    public init(
        sourceID: String, receivedAtMilliseconds: Int64, peerIP: String? = nil,
        messageIDGenerator: MessageIDGenerator = .ksuid
    ) {
        self.sourceID = sourceID
        self.receivedAtMilliseconds = receivedAtMilliseconds
        self.peerIP = peerIP
        self.messageIDGenerator = messageIDGenerator
    }
}
