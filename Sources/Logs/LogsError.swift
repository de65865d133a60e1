/// Everything `sluice logs` can fail at, with a message that says what to do.
public struct LogsError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New codes may be added; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable snake_case name.
        public let rawValue: String
        /// Creates a code from its stable name.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A `--day`, `--from` or `--to` value is not a `YYYY-MM-DD` date.
        public static let invalidDate = Code("invalid_date")
        /// The day selection is contradictory or missing.
        public static let invalidSelection = Code("invalid_selection")
        /// No `segment-logs/{source}/` folder exists in the bucket.
        public static let sourceNotFound = Code("source_not_found")
        /// The source exists but has no folder for the requested day.
        public static let dayNotFound = Code("day_not_found")
        /// The bucket does not exist at this endpoint.
        public static let bucketNotFound = Code("bucket_not_found")
        /// The credentials may not list or read the bucket.
        public static let accessDenied = Code("access_denied")
        /// The bucket is in another region than the one given.
        public static let wrongRegion = Code("wrong_region")
        /// Credentials are missing or rejected.
        public static let credentials = Code("credentials")
        /// Reading from the store failed (network, server).
        public static let storeFailed = Code("store_failed")
        /// A downloaded object does not have the size the listing announced.
        public static let sizeMismatch = Code("size_mismatch")
        /// A file is not valid gzip.
        public static let corruptGzip = Code("corrupt_gzip")
        /// A local file or directory could not be read or written.
        public static let fileError = Code("file_error")
        /// Standard output was closed by the reader (`| head`); not a failure of the logs.
        public static let outputClosed = Code("output_closed")
        /// Some files could not be downloaded.
        public static let incomplete = Code("incomplete")
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do about it.
    public var message: String
    /// The error this one wraps, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
