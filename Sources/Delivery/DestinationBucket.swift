/// A destination bucket as the copy job uses it, configured for one destination (credentials, region, endpoint,
/// encryption headers, `Content-Type: text/plain`, `Content-Encoding: gzip`).
public protocol DestinationBucket: Sendable {
    /// Uploads the file at `path` to `key` in one PutObject. With `ifAbsent`, an existing object is left alone
    /// (`If-None-Match: *`) and `.alreadyExists` returned; stores that ignore the condition overwrite it, which
    /// is harmless because the same key always gets the same bytes.
    func put(file path: String, size: Int64, key: String, ifAbsent: Bool) async throws(DeliveryError) -> PutOutcome
    /// Stores a small plain-text object (the validation write), with the destination's encryption.
    func put(bytes: [UInt8], key: String) async throws(DeliveryError)
    /// The object's size and ETag, or nil when there is none. Principals allowed only `s3:PutObject` get
    /// `.accessDenied`.
    func head(key: String) async throws(DeliveryError) -> RemoteObject?
    func delete(key: String) async throws(DeliveryError)
}

/// Makes the `DestinationBucket` for a destination's settings.
public protocol DestinationConnector: Sendable {
    func bucket(for destination: DestinationTarget) async throws(DeliveryError) -> any DestinationBucket
}

/// What a PutObject did.
public enum PutOutcome: Sendable, Hashable {
    /// Stored; the ETag the store reported, if any.
    case stored(eTag: String?)
    /// `ifAbsent` and an object was already there.
    case alreadyExists
}

/// An object's size and ETag from HeadObject.
public struct RemoteObject: Sendable, Hashable {
    public let size: Int64
    public let eTag: String?

    public init(size: Int64, eTag: String?) {
        self.size = size
        self.eTag = eTag
    }
}
