import ArchiveFormat

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

    /// Validates S3's bucket naming rules and the prefix (no empty segments, no `.` or `..`, no control
    /// characters), with ArchiveFormat's `BucketString`, the one definition of Segment's bucket setting.
    public static func parse(_ string: String) throws(DeliveryError) -> BucketAddress {
        do {
            let parsed = try BucketString.parse(string)
            return BucketAddress(bucket: parsed.bucket, prefix: parsed.prefix)
        } catch {
            throw DeliveryError(
                .invalidSettings, "'\(string.prefix(100))' is not a valid bucket setting: \(error.message)")
        }
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
}
