import Catalog
import Foundation
import NIOPosix
import Storage
import Synchronization

/// The staging store as the pipeline puts batches into it: after each upload the file is recorded in the
/// staged-file ledger, and only then does the put return (so only then does the batch leave the spool). A failed
/// ledger write fails the put: the pipeline keeps the batch unstored and retries it, and the retry finds the object
/// already uploaded (the source file is gone once stored) and only records it. A crash in between re-uploads the
/// same deterministic key; the insert is then a no-op, never a second row.
///
/// ```swift
/// let store = LedgerStagingStore(staging, ledger: catalog, now: now)
/// ```
public final class LedgerStagingStore: ArchiveStore, Sendable {
    let inner: any ArchiveStore
    let ledger: any StagedFileLedger
    let now: @Sendable () -> Int64
    /// Rows whose upload worked and whose ledger write has not yet: the retry records them without the file.
    let unrecorded = Mutex<[String: StagedFile]>([:])

    public init(_ inner: any ArchiveStore, ledger: any StagedFileLedger, now: @escaping @Sendable () -> Int64) {
        self.inner = inner
        self.ledger = ledger
        self.now = now
    }

    public var location: String { inner.location }

    public func put(file path: String, key: String, metadata: ObjectMetadata) async throws(ArchiveStoreError) {
        guard StagedObject(key: key, size: 0).objectKey != nil else {
            return try await inner.put(file: path, key: key, metadata: metadata)
        }
        let row: StagedFile
        let pending = unrecorded.withLock { $0[key] }
        if !FileManager.default.fileExists(atPath: path), let stored = try await stored(key, pending: pending) {
            row = stored
        } else {
            row = try await describe(file: path, key: key)
            try await inner.put(file: path, key: key, metadata: metadata)
            unrecorded.withLock { $0[key] = row }
        }
        do {
            try await ledger.recordStaged(row)
        } catch {
            throw ArchiveStoreError(
                .failed, "\(key) is staged but the ledger write failed: \(error.message)", underlying: error)
        }
        _ = unrecorded.withLock { $0.removeValue(forKey: key) }
    }

    /// The row of an object already stored whose file is gone: the one described before its upload, or one made
    /// from the store (no checksum) when this process did not upload it.
    func stored(_ key: String, pending: StagedFile?) async throws(ArchiveStoreError) -> StagedFile? {
        if let pending { return pending }
        guard let object = try await inner.head(key: key) else { return nil }
        return StagedObject(key: key, size: object.size).stagedFile(checksum: nil, stagedAtMilliseconds: now())
    }

    /// Size and MD5 of the file about to be uploaded, read on the blocking thread pool.
    func describe(file path: String, key: String) async throws(ArchiveStoreError) -> StagedFile {
        let read: Result<(Int64, [UInt8]), FileSystemError>
        do {
            read = try await NIOThreadPool.singleton.runIfActive { () -> Result<(Int64, [UInt8]), FileSystemError> in
                do throws(FileSystemError) {
                    guard let info = Files.fileInfo(path) else { throw FileSystemError("stat", path, errno: ENOENT) }
                    return .success((info.size, try Files.md5(path)))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw ArchiveStoreError(.failed, "the I/O thread pool is shut down", underlying: error)
        }
        switch read {
        case .failure(let error):
            throw ArchiveStoreError(.failed, "cannot read \(path): \(error.message)", underlying: error)
        case .success(let (size, digest)):
            let hex = digest.map { String(format: "%02x", $0) }.joined()
            guard let row = StagedObject(key: key, size: size).stagedFile(checksum: hex, stagedAtMilliseconds: now())
            else { throw ArchiveStoreError(.invalidKey, "'\(key.prefix(200))' is not a staged batch key") }
            return row
        }
    }

    public func head(key: String) async throws(ArchiveStoreError) -> StoredObject? { try await inner.head(key: key) }

    public func list(prefix: String) async throws(ArchiveStoreError) -> [StoredObject] {
        try await inner.list(prefix: prefix)
    }

    public func download(key: String, to path: String) async throws(ArchiveStoreError) -> StoredObject {
        try await inner.download(key: key, to: path)
    }

    public func localFile(key: String) async throws(ArchiveStoreError) -> LocalObjectFile {
        try await inner.localFile(key: key)
    }

    public func release(_ file: LocalObjectFile) async { await inner.release(file) }

    public func delete(key: String) async throws(ArchiveStoreError) { try await inner.delete(key: key) }
}
