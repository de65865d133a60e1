#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file operation that failed, with the path, the system's reason and what to check.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    /// What was attempted (`open`, `fsync`, `rename a to`...).
    public let operation: String
    public let path: String
    /// The `errno` at the failure, or 0 when the failure was not a system call's.
    public let errno: Int32

    public init(_ operation: String, _ path: String, errno number: Int32) {
        self.operation = operation
        self.path = path
        self.errno = number
    }

    /// The failure in words: `cannot fsync /data/x: No space left on device`.
    public var message: String {
        let reason = errno == 0 ? "failed" : String(cString: strerror(errno))
        return "cannot \(operation) \(path): \(reason)"
    }

    public var description: String { message }
}
