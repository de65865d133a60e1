/// The one error type of the S3 module: an S3 (or STS, or credentials) failure with everything needed to act on it.
///
/// `code` is the AWS error code when the server sent one (`AccessDenied`, `NoSuchBucket`, ...), or one of the
/// module's own codes for failures that never reached S3 (`.connectionFailed`, `.credentialsNotFound`, ...).
/// `message` says what to do about it. Secrets never appear in any field.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// An AWS error code or one of the module's own; extensible, compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        public static let accessDenied = Code("AccessDenied")
        public static let noSuchBucket = Code("NoSuchBucket")
        public static let noSuchKey = Code("NoSuchKey")
        public static let noSuchUpload = Code("NoSuchUpload")
        public static let signatureDoesNotMatch = Code("SignatureDoesNotMatch")
        public static let invalidAccessKeyID = Code("InvalidAccessKeyId")
        public static let expiredToken = Code("ExpiredToken")
        public static let invalidToken = Code("InvalidToken")
        public static let badDigest = Code("BadDigest")
        public static let invalidDigest = Code("InvalidDigest")
        public static let entityTooSmall = Code("EntityTooSmall")
        public static let invalidArgument = Code("InvalidArgument")
        public static let invalidRequest = Code("InvalidRequest")
        public static let preconditionFailed = Code("PreconditionFailed")
        public static let permanentRedirect = Code("PermanentRedirect")
        public static let authorizationHeaderMalformed = Code("AuthorizationHeaderMalformed")
        public static let slowDown = Code("SlowDown")
        public static let internalError = Code("InternalError")
        public static let serviceUnavailable = Code("ServiceUnavailable")
        public static let requestTimeout = Code("RequestTimeout")
        public static let requestTimeTooSkewed = Code("RequestTimeTooSkewed")
        public static let throttling = Code("Throttling")
        public static let notImplemented = Code("NotImplemented")
        public static let kmsAccessDenied = Code("KMS.AccessDeniedException")
        /// The module's own codes.
        public static let connectionFailed = Code("sluice.ConnectionFailed")
        public static let timedOut = Code("sluice.TimedOut")
        public static let invalidResponse = Code("sluice.InvalidResponse")
        public static let credentialsNotFound = Code("sluice.CredentialsNotFound")
        public static let invalidConfiguration = Code("sluice.InvalidConfiguration")
        public static let fileError = Code("sluice.FileError")
        public static let integrityCheckFailed = Code("sluice.IntegrityCheckFailed")
    }

    public var code: Code
    /// The HTTP status, or nil when no response arrived.
    public var httpStatus: Int?
    public var bucket: String?
    public var key: String?
    /// `x-amz-request-id` (or the body's `RequestId`), for AWS support.
    public var requestID: String?
    /// What went wrong and what to do about it.
    public var message: String
    /// The operation that failed (`PutObject`, `AssumeRole`, ...).
    public var operation: String?
    public var underlying: (any Error)?
    /// The region the server said the bucket is in (301, 400 AuthorizationHeaderMalformed), if any.
    var regionHint: String?
    /// Server time minus local time, from a `RequestTimeTooSkewed` answer's `Date` header.
    var clockSkew: Int64?

    public init(
        code: Code, httpStatus: Int? = nil, bucket: String? = nil, key: String? = nil, requestID: String? = nil,
        message: String, operation: String? = nil, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.httpStatus = httpStatus
        self.bucket = bucket
        self.key = key
        self.requestID = requestID
        self.message = message
        self.operation = operation
        self.underlying = underlying
    }

    public var description: String {
        var parts = ["S3Error(\(code)"]
        if let operation { parts.append("operation: \(operation)") }
        if let httpStatus { parts.append("status: \(httpStatus)") }
        if let bucket { parts.append("bucket: \(bucket)") }
        if let key { parts.append("key: \(key)") }
        if let requestID { parts.append("requestID: \(requestID)") }
        return parts.joined(separator: ", ") + "): " + message
    }
}
