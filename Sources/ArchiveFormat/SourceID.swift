/// A source id that is safe to use as a path segment and an S3 key segment: 1-64 of `A-Z a-z 0-9 _ -`.
///
/// ```swift
/// let source = try SourceID("r3QPgvJBMpsc1XLzT17X8P")
/// ```
public struct SourceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id.
    public let rawValue: String

    /// Validates `rawValue`.
    public init(_ rawValue: String) throws(ArchiveFormatError) {
        let bytes = rawValue.utf8
        guard (1...64).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else {
            throw ArchiveFormatError(
                .invalidSourceID,
                "source id \"\(rawValue)\" is not allowed; use 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'")
        }
        self.rawValue = rawValue
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    public static func < (lhs: SourceID, rhs: SourceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
