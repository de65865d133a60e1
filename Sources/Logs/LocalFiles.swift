import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking file operations for the sync and the local store. Callers run them on a thread pool, never on the
/// cooperative pool. Every failure is a `LogsError` with `.fileError` naming the path.
enum LocalFiles {
    static let chunkSize = 1 << 18

    static func failure(_ what: String, _ path: String) -> LogsError {
        LogsError(
            .fileError,
            "cannot \(what) \(path): \(String(cString: strerror(errno))); check the path and its permissions")
    }

    /// Size and modification time (nanoseconds) of a regular file, or nil when there is none.
    static func fileInfo(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    static func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func makeDirectories(_ path: String) throws(LogsError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LogsError(.fileError, "cannot create directory \(path): \(error)", underlying: error)
        }
    }

    /// Removes every entry of `directory` (partial downloads of an interrupted sync).
    static func emptyDirectory(_ directory: String) {
        for name in entries(directory) { try? FileManager.default.removeItem(atPath: directory + "/" + name) }
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(LogsError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure("open", path) }
        }
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(LogsError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("write", path) }
            offset += written
        }
    }

    /// Calls `body` with successive chunks of the file.
    static func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws(LogsError) -> Void) throws(LogsError)
    {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, chunkSize)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("read", path) }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Copies `source` to a new file `destination` and fsyncs it.
    static func copy(_ source: String, to destination: String) throws(LogsError) {
        let out = try open(destination, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(out) }
        try readChunks(source) { chunk throws(LogsError) in try writeAll(out, chunk, path: destination) }
        guard fsync(out) == 0 else { throw failure("fsync", destination) }
    }

    static func sync(_ path: String) throws(LogsError) {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    /// Moves `source` over `destination` (atomic on one file system) and makes the rename durable.
    static func rename(_ source: String, to destination: String) throws(LogsError) {
        guard Glibc.rename(source, destination) == 0 else { throw failure("rename \(source) to", destination) }
        try sync((destination as NSString).deletingLastPathComponent)
    }

    static func remove(_ path: String) { unlink(path) }

    /// The lowercase hex MD5 of a file's content.
    static func md5(_ path: String) throws(LogsError) -> String {
        var hasher = Insecure.MD5()
        try readChunks(path) { chunk in hasher.update(bufferPointer: chunk) }
        return hasher.finalize().map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    static func readText(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping a typed error (the standard one rethrows `any Error`).
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws(LogsError) -> T) throws(LogsError) -> T {
        let result = withUnsafeBytes { bytes in
            Result { () throws(LogsError) -> T in try body(bytes) }
        }
        return try result.get()
    }
}
