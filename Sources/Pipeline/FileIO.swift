#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small blocking POSIX file helpers. Callers run them on a thread pool, never on the cooperative pool.
enum FileIO {
    static func errorText(_ what: String, _ path: String) -> String {
        "\(what) \(path): \(String(cString: strerror(errno)))"
    }

    /// Appends `bytes` to the file at `path`, creating it, and starts (without waiting for) their writeback.
    ///
    /// Starting writeback at once keeps batch files from piling up dirty pages that the kernel would otherwise
    /// write in bursts every few seconds; on ext4 a burst lands in the journal transaction the spool's next
    /// fdatasync has to commit, which showed up as tens of milliseconds of acknowledgement latency.
    static func append(_ bytes: [UInt8], to path: String) throws(PipelineError) {
        try append(bytes, to: path, startWriteback: bytes.count >= 64 << 10)
    }

    /// Small appends (the many small members of many sources) skip the writeback kick: one I/O each would cost
    /// more than the bursts it avoids.
    static func append(_ bytes: [UInt8], to path: String, startWriteback: Bool) throws(PipelineError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError(.storeFailed, errorText("cannot open", path)) }
        defer { close(fd) }
        try writeAll(fd, bytes, path)
        #if os(Linux)
            guard startWriteback else { return }
            // On Linux this starts writeback of the file's dirty pages without waiting for it (and lets the page
            // cache drop them once clean: batch files are not read again before they are stored). Advisory: a
            // failure only means the kernel writes the pages back later, as it would anyway.
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        #endif
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(PipelineError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                let rest = UnsafeRawBufferPointer(rebasing: raw[offset...])
                return write(fd, rest.baseAddress, rest.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw PipelineError(.storeFailed, errorText("cannot write", path))
            }
            offset += n
        }
    }

    /// fsyncs a file or directory.
    static func sync(_ path: String, directory: Bool = false) throws(PipelineError) {
        let fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC)
        guard fd >= 0 else { throw PipelineError(.storeFailed, errorText("cannot open", path)) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw PipelineError(.storeFailed, errorText("cannot fsync", path)) }
    }

    /// `mkdir -p`, fsyncing each parent of a directory it creates so the new entry is durable.
    static func makeDirectories(_ path: String) throws(PipelineError) {
        var isDir = stat()
        if stat(path, &isDir) == 0 { return }
        let parent = dirname(path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw PipelineError(.storeFailed, errorText("cannot create directory", path))
        }
        try sync(parent.isEmpty ? "." : parent, directory: true)
    }

    static func exists(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0
    }

    static func size(_ path: String) -> Int64? {
        var s = stat()
        return stat(path, &s) == 0 ? Int64(s.st_size) : nil
    }

    static func rename(_ from: String, _ to: String) throws(PipelineError) {
        guard Glibc.rename(from, to) == 0 else {
            throw PipelineError(.storeFailed, errorText("cannot rename \(from) to", to))
        }
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Names in a directory (not recursive), or [] when it does not exist.
    static func entries(_ path: String) -> [String] {
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

    static func isDirectory(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
    }
}
