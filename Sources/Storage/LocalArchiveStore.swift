import NIOPosix

/// The embedded default's archive store: a directory whose relative paths are object keys
/// (`{data-dir}/bucket/segment-logs/{source}/{day}/{file}.gz`). A put is an atomic rename made durable with
/// fsync, so a key never names a partial file. File system calls run on NIO's blocking thread pool.
///
/// ```swift
/// let store = LocalArchiveStore(root: "./sluice-data/bucket")
/// ```
public struct LocalArchiveStore: ArchiveStore {
    public let root: String
    let threadPool: NIOThreadPool

    public init(root: String, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.threadPool = threadPool
    }

    public var location: String { root }

    /// Keys become paths: only relative keys of non-empty segments other than `.` and `..`, without control
    /// characters or backslashes, pass.
    public static func validate(_ key: String) throws(ArchiveStoreError) {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            !key.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\\") })
        else { throw ArchiveStoreError(.invalidKey, "object key '\(key.prefix(200))' is not a safe relative path") }
    }

    func path(for key: String) -> String { root + "/" + key }

    public func put(file path: String, key: String, metadata: ObjectMetadata) async throws(ArchiveStoreError) {
        try Self.validate(key)
        let target = self.path(for: key)
        try await blocking { () throws(FileSystemError) in
            try Files.makeDirectories(Files.dirname(target))
            try Files.rename(path, to: target)
        }
    }

    public func head(key: String) async throws(ArchiveStoreError) -> StoredObject? {
        try Self.validate(key)
        let target = path(for: key)
        return try await blocking { () throws(FileSystemError) in
            Files.fileInfo(target).map { Self.object(key, $0) }
        }
    }

    public func list(prefix: String) async throws(ArchiveStoreError) -> [StoredObject] {
        let root = self.root
        return try await blocking { () throws(FileSystemError) in
            var found: [StoredObject] = []
            func walk(_ relative: String) {
                for name in Files.entries(relative.isEmpty ? root : root + "/" + relative) {
                    let key = relative.isEmpty ? name : relative + "/" + name
                    // Prune what cannot lead to the prefix, and hidden entries (never keys Sluice writes).
                    guard !name.hasPrefix("."), key.hasPrefix(prefix) || prefix.hasPrefix(key) else { continue }
                    if Files.isDirectory(root + "/" + key) {
                        walk(key)
                    } else if key.hasPrefix(prefix), let info = Files.fileInfo(root + "/" + key) {
                        found.append(Self.object(key, info))
                    }
                }
            }
            walk("")
            return found.sorted { $0.key < $1.key }
        }
    }

    public func download(key: String, to destination: String) async throws(ArchiveStoreError) -> StoredObject {
        try Self.validate(key)
        let source = path(for: key)
        let found = try await blocking { () throws(FileSystemError) -> StoredObject? in
            guard let before = Files.fileInfo(source) else { return nil }
            try Files.copy(source, to: destination)
            return Self.object(key, before)
        }
        guard let found else { throw ArchiveStoreError(.notFound, "no object \(key) in \(root)") }
        return found
    }

    public func localFile(key: String) async throws(ArchiveStoreError) -> LocalObjectFile {
        try Self.validate(key)
        return LocalObjectFile(path: path(for: key), isTemporary: false)
    }

    public func release(_ file: LocalObjectFile) async {}

    public func delete(key: String) async throws(ArchiveStoreError) {
        try Self.validate(key)
        let target = path(for: key)
        try await blocking { () throws(FileSystemError) in
            if !Files.remove(target) && Files.exists(target) {
                throw FileSystemError("delete", target, errno: 0)
            }
        }
    }

    static func object(_ key: String, _ info: (size: Int64, modifiedNanoseconds: Int64)) -> StoredObject {
        StoredObject(key: key, size: info.size, eTag: "\(info.size)-\(info.modifiedNanoseconds)")
    }

    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(FileSystemError) -> T)
        async throws(ArchiveStoreError) -> T
    {
        let result: Result<T, FileSystemError>
        do {
            result = try await threadPool.runIfActive { () -> Result<T, FileSystemError> in
                do throws(FileSystemError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw ArchiveStoreError(.failed, "the I/O thread pool is shut down", underlying: error)
        }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            throw ArchiveStoreError(
                .failed, "\(error.message); check \(root)'s disk and permissions", underlying: error)
        }
    }
}
