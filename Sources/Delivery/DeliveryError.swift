/// Everything that can go wrong configuring or delivering to a destination, with a message that tells the user
/// what to do.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    /// Extensible error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A destination setting is not valid (bucket string, endpoint, KMS key, role ARN).
        public static let invalidSettings = Code("invalid_settings")
        /// No destination has the given id.
        public static let notFound = Code("not_found")
        /// The bucket refused the write: bucket policy, IAM policy, or KMS key policy.
        public static let accessDenied = Code("access_denied")
        /// The bucket does not exist (or is not where the endpoint points).
        public static let noSuchBucket = Code("no_such_bucket")
        /// Credentials are missing, invalid or expired, or the role could not be assumed.
        public static let credentials = Code("credentials")
        /// The store was unavailable for now (5xx, throttling, dropped connection, timeout): retried with backoff.
        public static let unavailable = Code("unavailable")
        /// The staged file could not be read.
        public static let staging = Code("staging")
        /// The catalog failed.
        public static let catalog = Code("catalog")
        /// A bucket policy document could not be read.
        public static let invalidPolicy = Code("invalid_policy")
        /// Anything else the store answered.
        public static let rejected = Code("rejected")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// True when trying again later may succeed without anyone changing anything.
    public var isRetryable: Bool { code == .unavailable }

    public var description: String { "\(code): \(message)" }
}
