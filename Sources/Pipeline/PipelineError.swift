/// Errors of the ingest and batching pipeline, with messages that say what to do.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    /// Extensible error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The spool cannot take more now (quota, free disk, or the batcher is behind): retry later.
        public static let overloaded = Code("overloaded")
        /// The spool failed (I/O error); nothing more is accepted until a restart.
        public static let spoolFailed = Code("spool_failed")
        public static let corruptRecord = Code("corrupt_record")
        public static let storeFailed = Code("store_failed")
        public static let shuttingDown = Code("shutting_down")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(code): \(message) (\(underlying))" }
        return "\(code): \(message)"
    }
}
