#if canImport(Glibc)
    import Glibc
#endif

/// Positioned reads and writes of the index files (pread/pwrite: the tables are read a few slots at a time and
/// never mapped, so their pages are page cache, not the process's resident memory).
enum IndexIO {
    static func open(_ path: String, create: Bool) throws(DedupeError) -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0o600)
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    /// Reads up to `count` bytes at `offset`; fewer at the end of the file.
    static func read(_ fd: Int32, count: Int, at offset: Int, _ path: String) throws(DedupeError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + done, count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if n == 0 { break }
            done += n
        }
        if done < count { bytes.removeLast(count - done) }
        return bytes
    }

    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int, _ path: String) throws(DedupeError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            done += n
        }
    }

    static func sync(_ fd: Int32, _ path: String) throws(DedupeError) {
        guard fdatasync(fd) == 0 else { throw failure("sync", path) }
    }

    static func size(_ fd: Int32, _ path: String) throws(DedupeError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat", path) }
        return Int(info.st_size)
    }

    static func truncate(_ fd: Int32, to size: Int, _ path: String) throws(DedupeError) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw failure("size", path) }
    }

    static func failure(_ operation: String, _ path: String) -> DedupeError {
        let code = errno
        return DedupeError(
            .io, "could not \(operation) the messageId index file \(path): \(String(cString: strerror(code)))",
            errno: code)
    }
}

extension [UInt8] {
    func loadLittleEndian(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(self[offset + i]) << UInt64(8 * i) }
        return value
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
    }
}
