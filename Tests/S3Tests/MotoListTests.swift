import Foundation
import S3
import SluiceTesting
import Testing

/// Listing with prefixes and delimiters containing `/`, and keys with characters moto's signature check
/// mishandles, against moto with authentication off (Ceph runs the same calls with authentication on).
@Suite(.motoWithoutAuthentication(), .timeLimit(.minutes(5)))
struct MotoListTests {
    @Test func listPaginatesAndGroupsByDelimiter() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("list")
        try await s3.createBucket(bucket)
        let keys = (0..<5).map { "p/segment-logs/src\($0 % 2)/day/f\($0) x+=*ü.gz" } + ["other/z"]
        for key in keys { try await s3.putObject(bucket: bucket, key: key, body: Array(key.utf8)) }

        let first = try await s3.listObjectsV2(bucket: bucket, prefix: "p/", maxKeys: 2)
        #expect(first.objects.count == 2)
        #expect(first.isTruncated)
        let token = try #require(first.nextContinuationToken)
        let second = try await s3.listObjectsV2(bucket: bucket, prefix: "p/", continuationToken: token, maxKeys: 2)
        #expect(Set(second.objects.map(\.key)).isDisjoint(with: first.objects.map(\.key)))

        let all = try await s3.listAllObjects(bucket: bucket, prefix: "p/")
        #expect(all.objects.map(\.key).sorted() == keys.filter { $0.hasPrefix("p/") }.sorted())
        let sample = "p/segment-logs/src0/day/f0 x+=*ü.gz"
        #expect(all.objects.first { $0.key == sample }?.size == Int64(sample.utf8.count))

        let grouped = try await s3.listObjectsV2(bucket: bucket, prefix: "p/segment-logs/", delimiter: "/")
        #expect(grouped.objects.isEmpty)
        #expect(grouped.commonPrefixes.sorted() == ["p/segment-logs/src0/", "p/segment-logs/src1/"])
    }

}
