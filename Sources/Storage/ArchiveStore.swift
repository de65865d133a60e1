/// Sluice's own store of closed batch files: the staging area the pipeline puts batches into, the copy job reads
/// and retention deletes from, and `sluice logs` reads back. Keys are Segment-layout object keys
/// (`segment-logs/{source}/{day}/{file}.gz`). `LocalArchiveStore` keeps them in a directory (the embedded default).
///
/// ```swift
/// let store: any ArchiveStore = LocalArchiveStore(root: "sluice-data/bucket")
/// try await store.put(file: "/tmp/batch.gz", key: key.description, metadata: .segmentBatch)
/// ```
public protocol ArchiveStore: Sendable {
    /// Where the objects are, for messages (`/data/bucket`, `s3://bucket/prefix`).
    var location: String { get }
    /// Stores the finished file at `path` under `key`, durably. The store may take the file over (a local store
    /// moves it), so the caller must not use `path` afterwards.
    func put(file path: String, key: String, metadata: ObjectMetadata) async throws(ArchiveStoreError)
    /// The object under `key`, or nil when there is none.
    func head(key: String) async throws(ArchiveStoreError) -> StoredObject?
    /// Every object whose key starts with `prefix`, sorted by key.
    func list(prefix: String) async throws(ArchiveStoreError) -> [StoredObject]
    /// Copies the object's stored bytes (never decoded) to a new, fsynced file at `path`; returns what was copied.
    func download(key: String, to path: String) async throws(ArchiveStoreError) -> StoredObject
    /// A file holding the object's bytes: the stored file itself for a local store, a temporary download
    /// otherwise. Pass it to `release(_:)` when done.
    func localFile(key: String) async throws(ArchiveStoreError) -> LocalObjectFile
    /// Removes a temporary download made by `localFile(key:)`; nothing for the stored file itself.
    func release(_ file: LocalObjectFile) async
    /// Deletes the object; deleting a missing object is not an error.
    func delete(key: String) async throws(ArchiveStoreError)
}

extension ArchiveStore {
    /// True when an object exists under `key`.
    public func exists(key: String) async throws(ArchiveStoreError) -> Bool {
        try await head(key: key) != nil
    }
}

/// A local file holding an object's bytes (see `ArchiveStore.localFile(key:)`).
public struct LocalObjectFile: Sendable, Hashable {
    public let path: String
    /// True when the file is a download that `release` removes.
    public let isTemporary: Bool

    public init(path: String, isTemporary: Bool) {
        self.path = path
        self.isTemporary = isTemporary
    }
}

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

/// An object in a store. `eTag` is the store's version tag: S3's ETag, or for a local store the file's size and
/// modification time in nanoseconds (`"{size}-{mtime ns}"`; files there are written once, by rename).
public struct StoredObject: Sendable, Hashable {
    public let key: String
    public let size: Int64
    public let eTag: String?

    public init(key: String, size: Int64, eTag: String? = nil) {
        self.key = key
        self.size = size
        self.eTag = eTag
    }
}

/// What went wrong in an archive store, with a message that tells the user what to do.
public struct ArchiveStoreError: Error, CustomStringConvertible, Sendable {
    /// Extensible error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The key is not a safe, valid object key.
        public static let invalidKey = Code("invalid_key")
        /// No object under the key.
        public static let notFound = Code("not_found")
        /// The store refused or failed the operation (disk, permissions, the bucket).
        public static let failed = Code("store_failed")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }
}
