/// A name or setting that cannot be used in Segment's S3 layout, with what to change.
public struct ArchiveFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem. New codes may be added; match with `==` or a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable snake_case name.
        public let rawValue: String

        /// Creates a code from its stable name.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// A source id is not 1-64 of `A-Z a-z 0-9 _ -`.
        public static let invalidSourceID = Code("invalid_source_id")
        /// A bucket name breaks S3's bucket naming rules.
        public static let invalidBucket = Code("invalid_bucket")
        /// A key prefix has an empty, `.` or `..` segment, a backslash or a control character.
        public static let invalidPrefix = Code("invalid_prefix")
        /// A file name part (node id, build id, uuid, time) is malformed.
        public static let invalidFileName = Code("invalid_file_name")

        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What to change.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
