#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, blocking POSIX wrappers that turn failures into `SpoolError` with errno and an actionable message.
/// Call them only from the writer thread or from callers documented as blocking, never on the cooperative pool.
enum FileSystem {
    static func error(_ operation: String, _ path: String, _ number: Int32 = errno) -> SpoolError {
        let reason = String(cString: strerror(number))
        return SpoolError(
            .io, "\(operation) \(path) failed: \(reason); check the spool directory's disk and permissions",
            errno: number)
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(SpoolError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw error("open", path) }
        }
    }

    /// Creates `path` and missing parents; with `sync`, syncs the parent of each created directory so that a new
    /// spool directory (and so every record in it) survives a crash.
    static func makeDirectory(_ path: String, sync: Bool) throws(SpoolError) {
        var parent = path.hasPrefix("/") ? "/" : "."
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) == 0 {
                if sync {
                    let fd = try open(parent, O_RDONLY | O_DIRECTORY)
                    defer { close(fd) }
                    try self.sync(fd, parent)
                }
            } else if errno != EEXIST {
                throw error("mkdir", prefix)
            }
            parent = prefix
        }
    }

    static func fileSize(_ fd: Int32, _ path: String) throws(SpoolError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error("fstat", path) }
        return Int(info.st_size)
    }

    /// Writes all of `bytes` at `offset`, retrying short writes.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, _ path: String) throws(SpoolError) {
        var done = 0
        while done < bytes.count {
            let count = pwrite(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            done += count
        }
    }

    /// Writes all of `bytes` at `offset`.
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int, _ path: String) throws(SpoolError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(SpoolError) in try write(fd, raw, at: offset, path) }
        }
        try result.get()
    }

    /// Reads up to `count` bytes at `offset` into `buffer[at...]`; fewer only at end of file.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int, at offset: Int, _ path: String
    ) throws(SpoolError) -> Int {
        var done = 0
        while done < count {
            let got = pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Reads up to `bytes.count` bytes at `offset` into `bytes`; returns how many (fewer only at end of file).
    static func read(_ fd: Int32, into bytes: inout [UInt8], at offset: Int, _ path: String) throws(SpoolError) -> Int {
        let result = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(SpoolError) in try read(fd, into: raw, count: raw.count, at: offset, path) }
        }
        return try result.get()
    }

    static func syncData(_ fd: Int32, _ path: String) throws(SpoolError) {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw error("fdatasync", path) }
        }
    }

    static func sync(_ fd: Int32, _ path: String) throws(SpoolError) {
        while fsync(fd) != 0 {
            if errno != EINTR { throw error("fsync", path) }
        }
    }

    static func truncate(_ fd: Int32, to size: Int, _ path: String) throws(SpoolError) {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw error("ftruncate", path) }
        }
    }

    /// Names in a directory (without `.` and `..`).
    static func list(_ path: String) throws(SpoolError) -> [String] {
        guard let stream = opendir(path) else { throw error("opendir", path) }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Bytes available to unprivileged users on the file system holding `path`.
    static func freeBytes(_ path: String) throws(SpoolError) -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw error("statvfs", path) }
        let free = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return free.overflow ? Int.max : Int(clamping: free.partialValue)
    }
}
