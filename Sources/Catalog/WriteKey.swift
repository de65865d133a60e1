/// One write key of a source. A source may hold several (rotation: add the new key, move clients, revoke the old).
public struct WriteKey: Sendable, Hashable, Codable {
    /// The key clients authenticate with. A secret: never log it.
    public let key: String
    public let sourceID: String
    /// Creation time, epoch milliseconds.
    public let createdAtMilliseconds: Int64
    /// When it was revoked, epoch milliseconds; nil while it authenticates.
    public let revokedAtMilliseconds: Int64?

    public init(key: String, sourceID: String, createdAtMilliseconds: Int64, revokedAtMilliseconds: Int64? = nil) {
        self.key = key
        self.sourceID = sourceID
        self.createdAtMilliseconds = createdAtMilliseconds
        self.revokedAtMilliseconds = revokedAtMilliseconds
    }

    public var isActive: Bool { revokedAtMilliseconds == nil }
}
