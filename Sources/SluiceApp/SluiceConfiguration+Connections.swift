import SluiceServer

#if canImport(Glibc)
    import Glibc
#endif

extension SluiceConfiguration.HTTPSettings {
    /// The connection timeouts as the server takes them.
    var timeouts: HTTPTimeouts {
        HTTPTimeouts(
            idle: .milliseconds(Int64(idleTimeoutSeconds * 1000)),
            header: .milliseconds(Int64(headerTimeoutSeconds * 1000)),
            bodyProgress: .milliseconds(Int64(bodyTimeoutSeconds * 1000)))
    }

    /// `maxConnections`, or the open-files limit less 128 descriptors kept for everything else (at least 32).
    func connectionLimit(openFilesLimit: Int = Self.openFilesLimit()) -> Int {
        maxConnections ?? max(32, openFilesLimit - 128)
    }

    /// The process's soft `RLIMIT_NOFILE`.
    static func openFilesLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, 1 << 20))
    }
}
