/// The one error type of the `Spool` module: what went wrong (`code`), what to do about it (`message`), and the
/// operating-system error number when a system call failed.
///
/// ```swift
/// do { try spool.admission() } catch where error.code == .full { /* answer 503 with Retry-After */ }
/// ```
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes may be added, so `switch` with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The quota (`maxBytes`) is used up or free disk is below `minFreeDiskBytes`; retry later.
        public static let full = Code("full")
        /// The spool was closed; no more appends.
        public static let closed = Code("closed")
        /// An earlier write or fsync failed; the spool refuses appends until it is reopened.
        public static let failed = Code("failed")
        /// A system call failed (see `errno`).
        public static let io = Code("io")
        /// Stored data is corrupt in a way that recovery must not repair by itself.
        public static let corrupt = Code("corrupt")
        /// Another process (or another `Spool` in this one) holds the spool directory.
        public static let locked = Code("locked")
        /// `SpoolConfiguration` has an impossible value.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// A payload (or a group of payloads) exceeds the configured maximum.
        public static let recordTooLarge = Code("recordTooLarge")
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human explanation that says what to do.
    public var message: String
    /// The `errno` of the failed system call, if any.
    public var errno: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String {
        if let errno { return "SpoolError(\(code)): \(message) (errno \(errno))" }
        return "SpoolError(\(code)): \(message)"
    }
}
