/// A Segment source: events sent with its write key are archived under `segment-logs/{id}/`.
public struct Source: Sendable, Hashable, Codable {
    /// Source id (22 base62 characters, like Segment's newer ids); it becomes a path and a key, so it is generated,
    /// or, for a source moved from Segment, taken only in one of Segment's shapes (10 or 22 letters and digits).
    public let id: String
    /// A human name, unique (letters, digits, `-`, `_`, `.`; up to 64).
    public let name: String
    /// The source's oldest active write key (the one it was created with, until that is revoked; empty when every
    /// key is revoked). `CatalogStore.writeKeys(sourceID:)` lists them all. A secret: never log it.
    public let writeKey: String
    /// Creation time, epoch milliseconds.
    public let createdAtMilliseconds: Int64

    public init(id: String, name: String, writeKey: String, createdAtMilliseconds: Int64) {
        self.id = id
        self.name = name
        self.writeKey = writeKey
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// An event rejected inside an otherwise valid batch, kept with the reason instead of being dropped.
public struct QuarantinedEvent: Sendable, Hashable, Codable {
    public let sourceID: String
    public let receivedAtMilliseconds: Int64
    /// Position of the event in its batch.
    public let index: Int
    public let code: String
    public let message: String
    /// The client's bytes, exactly as received.
    public let raw: [UInt8]

    public init(
        sourceID: String, receivedAtMilliseconds: Int64, index: Int, code: String, message: String, raw: [UInt8]
    ) {
        self.sourceID = sourceID
        self.receivedAtMilliseconds = receivedAtMilliseconds
        self.index = index
        self.code = code
        self.message = message
        self.raw = raw
    }
}
