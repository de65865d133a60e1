/// Metadata Segment's files carry: `Content-Type: text/plain`, `Content-Encoding: gzip`.
public struct ObjectMetadata: Sendable, Hashable {
    public var contentType: String
    public var contentEncoding: String?

    public init(contentType: String = "text/plain", contentEncoding: String? = "gzip") {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
    }

    /// What batch files carry.
    public static let segmentBatch = ObjectMetadata()
}

/// An object in a store.
public struct StoredObject: Sendable, Hashable {
    public let key: String
    public let size: Int64

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// Where closed batches go: a local directory bucket on the embedded default, S3 elsewhere.
public protocol ObjectStore: Sendable {
    /// Stores the finished file at `path` under `key`. The store may take the file over (move it).
    func putFile(at path: String, key: String, metadata: ObjectMetadata) async throws
    /// True when an object exists under `key`.
    func exists(key: String) async throws -> Bool
    /// Every object whose key starts with `prefix`, sorted by key.
    func list(prefix: String) async throws -> [StoredObject]
    /// Copies the object's bytes to a new file at `path`.
    func download(key: String, to path: String) async throws
    func delete(key: String) async throws
}
