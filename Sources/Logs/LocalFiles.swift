import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The `Storage.Files` layer with its failures as `LogsError` (`.fileError`, naming the path), for the sync and
/// `cat`. Callers run these on a thread pool, never on the cooperative pool.
enum LocalFiles {
    static func mapped(_ error: FileSystemError) -> LogsError {
        LogsError(.fileError, error.message + "; check the path and its permissions", underlying: error)
    }

    static func failure(_ what: String, _ path: String) -> LogsError {
        mapped(FileSystemError(what, path, errno: errno))
    }

    static func fileInfo(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? { Files.fileInfo(path) }

    static func makeDirectories(_ path: String) throws(LogsError) {
        do { try Files.makeDirectories(path) } catch { throw mapped(error) }
    }

    static func emptyDirectory(_ directory: String) { Files.emptyDirectory(directory) }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(LogsError) -> Int32 {
        do { return try Files.open(path, flags, mode: mode) } catch { throw mapped(error) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(LogsError) {
        do { try Files.writeAll(fd, bytes, path: path) } catch { throw mapped(error) }
    }

    static func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws(LogsError) -> Void) throws(LogsError)
    {
        try Files.readChunks(path, mapError: mapped, body)
    }

    static func sync(_ path: String) throws(LogsError) {
        do { try Files.sync(path) } catch { throw mapped(error) }
    }

    /// Moves `source` over `destination` (atomic on one file system) and makes the rename durable.
    static func rename(_ source: String, to destination: String) throws(LogsError) {
        do { try Files.rename(source, to: destination) } catch { throw mapped(error) }
    }

    static func remove(_ path: String) { Files.remove(path) }

    /// The lowercase hex MD5 of a file's content.
    static func md5(_ path: String) throws(LogsError) -> String {
        let digest: [UInt8]
        do { digest = try Files.md5(path) } catch { throw mapped(error) }
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    static func readText(_ path: String) -> String? { Files.readText(path) }
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
