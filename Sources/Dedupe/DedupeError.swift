/// Errors of the messageId index, with messages that say what to do.
public struct DedupeError: Error, CustomStringConvertible, Sendable {
    /// Extensible error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An index file could not be created, read, written or synced.
        public static let io = Code("dedupe_io")
        /// An index file's name or size is not one Sluice writes.
        public static let invalidFile = Code("dedupe_invalid_file")
    }

    public let code: Code
    public let message: String
    /// The `errno` of a failed system call, if any.
    public let errno: Int32?

    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { "\(code): \(message)" }
}
