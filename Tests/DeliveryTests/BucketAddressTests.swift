import Delivery
import Testing

@Suite struct BucketAddressTests {
    @Test(arguments: [
        ("mybucket", "mybucket", ""),
        ("mybucket/path/prefix", "mybucket", "path/prefix"),
        ("my.bucket-1/logs", "my.bucket-1", "logs"),
        ("abc/a b/c", "abc", "a b/c"),
    ])
    func parses(input: String, bucket: String, prefix: String) throws {
        let address = try BucketAddress.parse(input)
        #expect(address.bucket == bucket)
        #expect(address.prefix == prefix)
    }

    @Test func destinationKeysPutTheStagedKeyUnderThePrefix() throws {
        let staged = "segment-logs/src1/1700006400000/1700000000000.aabbccddeeff.0123456.u.gz"
        #expect(try BucketAddress.parse("mybucket").destinationKey(forStaged: staged) == staged)
        #expect(
            try BucketAddress.parse("mytestbucket/path/prefix").destinationKey(forStaged: staged)
                == "path/prefix/" + staged)
        #expect(try BucketAddress.parse("b12/p").segmentLogsPrefix == "p/segment-logs/")
    }

    @Test(arguments: [
        "", "ab", String(repeating: "a", count: 64), "MyBucket", "my_bucket", "-bucket", "bucket-", "my..bucket",
        "192.168.1.10", "xn--bucket", "bucket-s3alias", "bucket/", "bucket//p", "bucket/p/", "bucket/p/../q",
        "bucket/./p", "/bucket", "bucket/p\u{1}", "bucket/p\\q", "s3://bucket/p",
    ])
    func rejectsInvalid(input: String) {
        #expect(throws: DeliveryError.self) { try BucketAddress.parse(input) }
    }

    @Test func errorsSayWhatIsWrong() {
        do {
            _ = try BucketAddress.parse("bucket/a//b")
            Issue.record("accepted an empty segment")
        } catch {
            #expect(error.code == .invalidSettings)
            #expect(error.message.contains("empty segment"))
        }
    }
}
