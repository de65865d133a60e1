/// An error from decompressing gzip data.
///
/// `code` says what kind of problem it was; `message` says what to do about it.
public struct DeflateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of decompression failure. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable snake_case name, suitable for logs and API responses.
        public let rawValue: String

        /// Creates a code from its stable name.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The data is not gzip, or a header, block, checksum or length is wrong.
        public static let corrupt = Code("corrupt")
        /// The data ends in the middle of a gzip member.
        public static let truncated = Code("truncated")
        /// The decompressed data would be larger than the caller's limit (a gzip bomb guard).
        public static let tooLarge = Code("too_large")

        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human explanation that tells the user what to fix.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
