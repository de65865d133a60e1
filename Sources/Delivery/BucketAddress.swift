/// A destination's bucket string as Segment takes it: `mybucket` or `mybucket/path/prefix`, where the prefix
/// puts the files at `path/prefix/segment-logs/{source}/{day}/{file}`.
///
/// ```swift
/// let address = try BucketAddress.parse("mybucket/path/prefix")
/// address.destinationKey(forStaged: "segment-logs/src/1700006400000/f.gz")
/// // "path/prefix/segment-logs/src/1700006400000/f.gz"
/// ```
public struct BucketAddress: Sendable, Hashable, CustomStringConvertible {
    public let bucket: String
    /// The key prefix without leading or trailing `/`; empty for none.
    public let prefix: String

    /// Validates S3's bucket naming rules and the prefix: no empty segments, no `.` or `..`, no control characters.
    public static func parse(_ string: String) throws(DeliveryError) -> BucketAddress {
        var text = Substring(string)
        if text.hasPrefix("s3://") { text = text.dropFirst(5) }
        let bucket: Substring
        let prefix: Substring
        if let slash = text.firstIndex(of: "/") {
            bucket = text[..<slash]
            prefix = text[text.index(after: slash)...]
        } else {
            (bucket, prefix) = (text, "")
        }
        try validateBucket(String(bucket), in: string)
        if !prefix.isEmpty || text.hasSuffix("/") { try validatePrefix(String(prefix), in: string) }
        return BucketAddress(bucket: String(bucket), prefix: String(prefix))
    }

    init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// The key a staged file gets in this bucket: the same key under the prefix. A pure function of the staged
    /// key, which is what makes a redone copy land on the same object.
    public func destinationKey(forStaged stagedKey: String) -> String {
        prefix.isEmpty ? stagedKey : prefix + "/" + stagedKey
    }

    /// The key prefix the copy principal must be allowed to write: `{prefix}/segment-logs/`.
    public var segmentLogsPrefix: String { destinationKey(forStaged: "segment-logs/") }

    /// `bucket` or `bucket/prefix`.
    public var description: String { prefix.isEmpty ? bucket : bucket + "/" + prefix }

    static func validateBucket(_ bucket: String, in string: String) throws(DeliveryError) {
        let bytes = Array(bucket.utf8)
        func fail(_ why: String) -> DeliveryError {
            DeliveryError(.invalidSettings, "'\(string.prefix(100))' is not a valid bucket: \(why)")
        }
        guard (3...63).contains(bytes.count) else { throw fail("a bucket name has 3 to 63 characters") }
        let allowed = bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        guard allowed else { throw fail("use lowercase letters, digits, '.' and '-' only") }
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last)
        else { throw fail("a bucket name begins and ends with a letter or digit") }
        guard !bucket.contains("..") else { throw fail("a bucket name has no '..'") }
        guard !bucket.hasPrefix("xn--"), !bucket.hasSuffix("-s3alias"), !bucket.hasSuffix("--ol-s3") else {
            throw fail("the prefix 'xn--' and the suffixes '-s3alias', '--ol-s3' are reserved")
        }
        let parts = bucket.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            throw fail("a bucket name is not an IP address")
        }
    }

    static func validatePrefix(_ prefix: String, in string: String) throws(DeliveryError) {
        func fail(_ why: String) -> DeliveryError {
            DeliveryError(.invalidSettings, "'\(string.prefix(100))' has an invalid path prefix: \(why)")
        }
        guard prefix.utf8.count <= 512 else { throw fail("keep it under 512 bytes") }
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: \.isEmpty) else {
            throw fail("no empty segments (no leading, trailing or doubled '/')")
        }
        guard !segments.contains(where: { $0 == "." || $0 == ".." }) else { throw fail("no '.' or '..' segments") }
        guard !prefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            throw fail("no control characters or '\\'")
        }
    }

    static func isLowerAlphanumeric(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
}
