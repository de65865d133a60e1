import Testing

@testable import ArchiveFormat

@Suite struct BucketStringTests {
    @Test(arguments: [
        ("mytestbucket", "mytestbucket", ""),
        ("mytestbucket/path/prefix", "mytestbucket", "path/prefix"),
        ("my.bucket-1/segment-logs/test", "my.bucket-1", "segment-logs/test"),
        ("abc", "abc", ""),
        (String(repeating: "a", count: 63), String(repeating: "a", count: 63), ""),
        ("1.2.3.4.5", "1.2.3.4.5", ""),
        ("bucket/..hidden/x", "bucket", "..hidden/x"),
    ])
    func parses(text: String, bucket: String, prefix: String) throws {
        let parsed = try BucketString.parse(text)
        #expect(parsed.bucket == bucket)
        #expect(parsed.prefix == prefix)
        #expect(parsed.description == text)
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "MyBucket", "my_bucket", "-bucket", "bucket-", ".bucket", "bucket.",
        "my..bucket", "192.168.5.4", "xn--bucket", "bucket-s3alias", "bucket--ol-s3", "sthree-bucket", "bu cket", "",
        "s3://bucket", "arn:aws:s3:::bucket",
    ])
    func rejectsBadBuckets(text: String) {
        let error = #expect(throws: ArchiveFormatError.self) { try BucketString.parse(text) }
        #expect(error?.code == .invalidBucket)
    }

    @Test(arguments: [
        "bucket/", "bucket//a", "bucket/a//b", "bucket/a/", "bucket/./a", "bucket/a/..", "bucket/a\\b",
        "bucket/a\u{7F}b",
    ])
    func rejectsBadPrefixes(text: String) {
        let error = #expect(throws: ArchiveFormatError.self) { try BucketString.parse(text) }
        #expect(error?.code == .invalidPrefix)
        #expect(error?.message.isEmpty == false)
    }

    @Test(arguments: ["WVl1JK7ysR", "r3QPgvJBMpsc1XLzT17X8P", "a", "src_1-x", String(repeating: "z", count: 64)])
    func acceptsSourceIDs(id: String) throws {
        #expect(try SourceID(id).rawValue == id)
    }

    @Test(arguments: ["", String(repeating: "z", count: 65), "a/b", "a.b", "..", "a b", "é", "a\u{0}"])
    func rejectsSourceIDs(id: String) {
        let error = #expect(throws: ArchiveFormatError.self) { try SourceID(id) }
        #expect(error?.code == .invalidSourceID)
    }
}
