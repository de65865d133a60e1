import NIOPosix

/// The embedded default's bucket: a directory whose relative paths are object keys
/// (`{data-dir}/bucket/segment-logs/{source}/{day}/{file}.gz`). Puts are atomic renames made durable with fsync.
public struct LocalDirectoryStore: ObjectStore {
    public let root: String
    let threadPool: NIOThreadPool

    public init(root: String, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.threadPool = threadPool
    }

    /// Keys become paths: only relative keys made of non-empty segments other than `.` and `..` pass.
    static func validate(_ key: String) throws(PipelineError) {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            !key.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\\") })
        else { throw PipelineError(.storeFailed, "object key '\(key.prefix(200))' is not a safe relative path") }
    }

    func path(for key: String) -> String { root + "/" + key }

    public func putFile(at path: String, key: String, metadata: ObjectMetadata) async throws {
        try Self.validate(key)
        let target = self.path(for: key)
        try await threadPool.runIfActive {
            try FileIO.makeDirectories(FileIO.dirname(target))
            try FileIO.rename(path, target)
            try FileIO.sync(FileIO.dirname(target), directory: true)
        }
    }

    public func exists(key: String) async throws -> Bool {
        try Self.validate(key)
        let target = path(for: key)
        return try await threadPool.runIfActive { FileIO.exists(target) }
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        let root = self.root
        return try await threadPool.runIfActive {
            var found: [StoredObject] = []
            func walk(_ relative: String) {
                let dir = relative.isEmpty ? root : root + "/" + relative
                for name in FileIO.entries(dir) {
                    let key = relative.isEmpty ? name : relative + "/" + name
                    // Prune directories that cannot lead to the prefix.
                    guard key.hasPrefix(prefix) || prefix.hasPrefix(key + "/") || prefix.hasPrefix(key) else {
                        continue
                    }
                    if FileIO.isDirectory(root + "/" + key) {
                        walk(key)
                    } else if key.hasPrefix(prefix), let size = FileIO.size(root + "/" + key) {
                        found.append(StoredObject(key: key, size: size))
                    }
                }
            }
            walk("")
            return found.sorted { $0.key < $1.key }
        }
    }

    public func download(key: String, to destination: String) async throws {
        try Self.validate(key)
        let source = path(for: key)
        try await threadPool.runIfActive {
            guard let bytes = try? readAll(source) else {
                throw PipelineError(.storeFailed, "no object at \(key)")
            }
            try FileIO.append(bytes, to: destination)
        }
    }

    public func delete(key: String) async throws {
        try Self.validate(key)
        let target = path(for: key)
        _ = try await threadPool.runIfActive { unlink(target) }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

func readAll(_ path: String) throws(PipelineError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw PipelineError(.storeFailed, FileIO.errorText("cannot open", path)) }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw PipelineError(.storeFailed, FileIO.errorText("cannot read", path)) }
        if n == 0 { return result }
        result.append(contentsOf: chunk[0..<n])
    }
}
