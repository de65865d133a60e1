/// The S3 destination's "bucket" setting: a bucket name, optionally followed by a key prefix, as in
/// `mytestbucket/path/prefix` (objects then go to `path/prefix/segment-logs/...`).
///
/// ```swift
/// let target = try BucketString.parse("mytestbucket/path/prefix")
/// target.bucket  // "mytestbucket"
/// target.prefix  // "path/prefix"
/// ```
public struct BucketString: Hashable, Sendable, CustomStringConvertible {
    /// The bucket name.
    public let bucket: String
    /// The key prefix, `""` when there is none; never starts or ends with `/`.
    public let prefix: String

    /// Parses and validates a bucket string.
    public static func parse(_ text: String) throws(ArchiveFormatError) -> BucketString {
        guard !text.hasPrefix("s3://"), !text.hasPrefix("arn:") else {
            throw ArchiveFormatError(
                .invalidBucket, "give the bucket name (optionally followed by /prefix), not an s3:// URI or ARN")
        }
        let bucket: String
        let prefix: String
        if let slash = text.firstIndex(of: "/") {
            bucket = String(text[..<slash])
            prefix = String(text[text.index(after: slash)...])
            guard !prefix.isEmpty else {
                throw ArchiveFormatError(.invalidPrefix, "remove the trailing '/' after the bucket name")
            }
        } else {
            bucket = text
            prefix = ""
        }
        try validateBucket(bucket)
        try validatePrefix(prefix)
        return BucketString(bucket: bucket, prefix: prefix)
    }

    public var description: String { prefix.isEmpty ? bucket : "\(bucket)/\(prefix)" }

    /// Checks S3's general-purpose bucket naming rules.
    static func validateBucket(_ bucket: String) throws(ArchiveFormatError) {
        func fail(_ why: String) -> ArchiveFormatError {
            ArchiveFormatError(.invalidBucket, "bucket name \"\(bucket)\" \(why)")
        }
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { throw fail("must be 3 to 63 characters long") }
        let isLowerAlnum = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard bytes.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw fail("may only contain lowercase letters, digits, '.' and '-'")
        }
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else {
            throw fail("must start and end with a lowercase letter or digit")
        }
        guard !bucket.contains("..") else { throw fail("must not contain two adjacent periods") }
        let parts = bucket.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }) {
            throw fail("must not be formatted as an IP address")
        }
        for reserved in ["xn--", "sthree-", "amzn-s3-demo-"] where bucket.hasPrefix(reserved) {
            throw fail("must not start with the reserved prefix \"\(reserved)\"")
        }
        for reserved in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where bucket.hasSuffix(reserved) {
            throw fail("must not end with the reserved suffix \"\(reserved)\"")
        }
    }

    /// Checks a key prefix: `""`, or `/`-separated non-empty segments that are not `.` or `..`, without
    /// backslashes or control characters, at most 512 bytes.
    static func validatePrefix(_ prefix: String) throws(ArchiveFormatError) {
        guard !prefix.isEmpty else { return }
        func fail(_ why: String) -> ArchiveFormatError {
            ArchiveFormatError(.invalidPrefix, "key prefix \"\(prefix)\" \(why)")
        }
        guard prefix.utf8.count <= 512 else { throw fail("is longer than 512 bytes; use a shorter prefix") }
        guard !prefix.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else {
            throw fail("contains a backslash or a control character; use '/' between plain path segments")
        }
        for segment in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else {
                throw fail("has an empty segment; remove leading, trailing or doubled '/'")
            }
            guard segment != ".", segment != ".." else { throw fail("must not contain '.' or '..' segments") }
        }
    }
}
