import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sluice's one layer of blocking POSIX file operations (the pipeline's batch files, the local archive store,
/// `sluice logs`). Callers run them on a thread pool, never on the cooperative pool. Every failure is a
/// `FileSystemError` naming the operation and the path.
public enum Files {
    static let chunkSize = 1 << 18

    static func failure(_ operation: String, _ path: String) -> FileSystemError {
        FileSystemError(operation, path, errno: errno)
    }

    /// `open(2)` with `O_CLOEXEC`, retried on `EINTR`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(FileSystemError) -> Int32 {
        while true {
            #if canImport(Glibc)
                let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            #else
                let fd = Darwin.open(path, flags | O_CLOEXEC, mode)
            #endif
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open", path) }
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("write", path) }
            offset += written
        }
    }

    /// Writes all of `bytes` to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(FileSystemError) in try writeAll(fd, raw, path: path) }
        }
        try result.get()
    }

    /// Appends `bytes` to the file at `path`, creating it. With `startWriteback` (Linux), starts writeback of the
    /// file's dirty pages without waiting for it and lets the page cache drop them once clean.
    ///
    /// Starting writeback at once keeps batch files from piling up dirty pages that the kernel would otherwise
    /// write in bursts every few seconds; on ext4 a burst lands in the journal transaction the spool's next
    /// fdatasync has to commit, which showed up as tens of milliseconds of acknowledgement latency.
    public static func append(_ bytes: [UInt8], to path: String, startWriteback: Bool) throws(FileSystemError) {
        let fd = try open(path, O_WRONLY | O_CREAT | O_APPEND)
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        #if os(Linux)
            // Advisory: a failure only means the kernel writes the pages back later, as it would anyway.
            if startWriteback { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) }
        #endif
    }

    /// fsyncs a file or a directory.
    public static func sync(_ path: String, directory: Bool = false) throws(FileSystemError) {
        let fd = try open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        defer { close(fd) }
        while fsync(fd) != 0 {
            if errno != EINTR { throw failure("fsync", path) }
        }
    }

    /// `mkdir -p`, fsyncing the parent of each directory it creates so the new entry is durable.
    public static func makeDirectories(_ path: String) throws(FileSystemError) {
        if exists(path) { return }
        let parent = dirname(path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("create directory", path) }
        try sync(parent.isEmpty ? "." : parent, directory: true)
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Size and modification time (nanoseconds) of a regular file, or nil when there is none.
    public static func fileInfo(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Glibc)
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #else
            let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #endif
        return (Int64(info.st_size), modified)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a directory (not recursive, without `.` and `..`), sorted; [] when it does not exist.
    public static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Moves `source` over `destination` (atomic on one file system) and fsyncs the destination's directory, so
    /// the rename survives a crash.
    public static func rename(_ source: String, to destination: String) throws(FileSystemError) {
        #if canImport(Glibc)
            let result = Glibc.rename(source, destination)
        #else
            let result = Darwin.rename(source, destination)
        #endif
        guard result == 0 else { throw failure("rename \(source) to", destination) }
        try sync(dirname(destination), directory: true)
    }

    /// Removes a file; true when it was there.
    @discardableResult
    public static func remove(_ path: String) -> Bool { unlink(path) == 0 }

    /// Removes every file directly in `directory` (partial downloads of an interrupted run).
    public static func emptyDirectory(_ directory: String) {
        for name in entries(directory) { remove(directory + "/" + name) }
    }

    /// The directory part of `path` (`.` for a bare name).
    public static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Calls `body` with successive chunks of the file.
    public static func readChunks(
        _ path: String, _ body: (UnsafeRawBufferPointer) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        try readChunks(path, mapError: { $0 }, body)
    }

    /// Calls `body` with successive chunks of the file; the file's own failures become `E` through `mapError`, so
    /// a caller keeps its typed error.
    public static func readChunks<E: Error>(
        _ path: String, mapError: (FileSystemError) -> E, _ body: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        let fd: Int32
        do { fd = try open(path, O_RDONLY) } catch { throw mapError(error) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw mapError(failure("read", path)) }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Copies `source` to a new file `destination` (replacing one there) and fsyncs it.
    public static func copy(_ source: String, to destination: String) throws(FileSystemError) {
        let out = try open(destination, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(out) }
        try readChunks(source) { chunk throws(FileSystemError) in try writeAll(out, chunk, path: destination) }
        while fsync(out) != 0 {
            if errno != EINTR { throw failure("fsync", destination) }
        }
    }

    /// The file's MD5 digest (16 bytes).
    public static func md5(_ path: String) throws(FileSystemError) -> [UInt8] {
        var hasher = Insecure.MD5()
        try readChunks(path) { chunk in hasher.update(bufferPointer: chunk) }
        return Array(hasher.finalize())
    }

    /// The whole file as text, or nil when it cannot be read.
    public static func readText(_ path: String) -> String? {
        var bytes: [UInt8] = []
        do {
            try readChunks(path) { chunk in bytes.append(contentsOf: chunk) }
        } catch {
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
