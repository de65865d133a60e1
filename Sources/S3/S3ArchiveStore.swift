import Foundation
import NIOPosix
import Storage

/// An archive store in an S3 bucket (a cluster's shared staging bucket): every object is written with
/// `x-amz-server-side-encryption: AES256` and a Content-MD5, from the file on disk (multipart only at or above the
/// client's threshold). Keys live under `prefix`; listing returns them without it.
///
/// ```swift
/// let store = S3ArchiveStore(client: s3, bucket: "acme-sluice-staging", prefix: "stage", temporaryDirectory: tmp)
/// ```
public struct S3ArchiveStore: ArchiveStore {
    let client: S3Client
    public let bucket: String
    /// Without leading or trailing slashes; empty for the bucket's root.
    public let prefix: String
    /// Where `localFile(key:)` downloads to (the node's own disk).
    let temporaryDirectory: String

    public init(client: S3Client, bucket: String, prefix: String, temporaryDirectory: String) {
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.temporaryDirectory = temporaryDirectory
    }

    public var location: String { "s3://\(bucket)" + (prefix.isEmpty ? "" : "/" + prefix) }

    func objectKey(_ key: String) -> String { prefix.isEmpty ? key : prefix + "/" + key }

    /// Uploads the file, then removes it: the store takes it over, as a local store's rename does.
    public func put(file path: String, key: String, metadata: ObjectMetadata) async throws(ArchiveStoreError) {
        try LocalArchiveStore.validate(key)
        do {
            try await client.uploadFile(
                bucket: bucket, key: objectKey(key), path: path, contentType: metadata.contentType,
                contentEncoding: metadata.contentEncoding, encryption: .aes256)
        } catch {
            throw failure("upload", key, error)
        }
        _ = try? await NIOThreadPool.singleton.runIfActive { Files.remove(path) }
    }

    public func head(key: String) async throws(ArchiveStoreError) -> StoredObject? {
        try LocalArchiveStore.validate(key)
        do {
            let info = try await client.headObject(bucket: bucket, key: objectKey(key))
            return StoredObject(key: key, size: info.contentLength, eTag: info.eTag.isEmpty ? nil : info.eTag)
        } catch let error as S3Error where error.code == .noSuchKey || error.httpStatus == 404 {
            return nil
        } catch {
            throw failure("inspect", key, error)
        }
    }

    public func list(prefix listPrefix: String) async throws(ArchiveStoreError) -> [StoredObject] {
        let base = prefix.isEmpty ? "" : prefix + "/"
        do {
            let listed = try await client.listAllObjects(bucket: bucket, prefix: base + listPrefix)
            return listed.objects.filter { $0.key.hasPrefix(base) }.map {
                StoredObject(key: String($0.key.dropFirst(base.count)), size: $0.size, eTag: $0.eTag)
            }.sorted { $0.key < $1.key }
        } catch {
            throw failure("list", listPrefix, error)
        }
    }

    public func download(key: String, to path: String) async throws(ArchiveStoreError) -> StoredObject {
        try LocalArchiveStore.validate(key)
        do {
            let info = try await client.getObject(
                bucket: bucket, key: objectKey(key), to: path, responseContentEncoding: "identity")
            return StoredObject(key: key, size: info.contentLength, eTag: info.eTag.isEmpty ? nil : info.eTag)
        } catch let error as S3Error where error.code == .noSuchKey {
            throw ArchiveStoreError(.notFound, "no object \(key) in \(location)", underlying: error)
        } catch {
            throw failure("download", key, error)
        }
    }

    public func localFile(key: String) async throws(ArchiveStoreError) -> LocalObjectFile {
        let path = temporaryDirectory + "/" + UUID().uuidString.lowercased() + ".download"
        do {
            _ = try await NIOThreadPool.singleton.runIfActive { try Files.makeDirectories(temporaryDirectory) }
        } catch {
            throw ArchiveStoreError(.failed, "cannot create \(temporaryDirectory): \(error)", underlying: error)
        }
        _ = try await download(key: key, to: path)
        return LocalObjectFile(path: path, isTemporary: true)
    }

    public func release(_ file: LocalObjectFile) async {
        guard file.isTemporary else { return }
        _ = try? await NIOThreadPool.singleton.runIfActive { Files.remove(file.path) }
    }

    public func delete(key: String) async throws(ArchiveStoreError) {
        try LocalArchiveStore.validate(key)
        do {
            try await client.deleteObject(bucket: bucket, key: objectKey(key))
        } catch let error as S3Error where error.code == .noSuchKey {
            return
        } catch {
            throw failure("delete", key, error)
        }
    }

    func failure(_ what: String, _ key: String, _ error: any Error) -> ArchiveStoreError {
        let reason = (error as? S3Error)?.message ?? "\(error)"
        return ArchiveStoreError(.failed, "cannot \(what) \(key) in \(location): \(reason)", underlying: error)
    }
}
