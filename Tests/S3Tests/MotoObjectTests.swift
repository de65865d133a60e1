import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import S3
import SluiceTesting
import Testing

/// Every object call against moto with SigV4 authentication switched on.
@Suite(.moto, .timeLimit(.minutes(5)))
struct MotoObjectTests {
    @Test func putHeadGetRoundTripWithMetadataAndSSE() async throws {
        let moto = try MotoContext.require()
        let s3 = try moto.client()
        let bucket = uniqueName("objects")
        try await s3.createBucket(bucket)
        let body = randomBytes(70_000)
        let key = "prefix/segment-logs/src/1700000000000/a b.gz"
        let put = try await s3.putObject(
            bucket: bucket, key: key, body: body, contentType: "text/plain", contentEncoding: "gzip",
            encryption: .aes256)
        #expect(put.serverSideEncryption == "AES256")
        #expect(!put.eTag.isEmpty)

        let head = try await s3.headObject(bucket: bucket, key: key)
        #expect(head.contentLength == 70_000)
        #expect(head.contentType == "text/plain")
        #expect(head.contentEncoding == "gzip")
        #expect(head.serverSideEncryption == "AES256")
        #expect(head.eTag == put.eTag)

        let directory = try TemporaryDirectory("s3-get")
        defer { directory.remove() }
        let path = directory.path + "/object.gz"
        let info = try await s3.getObject(bucket: bucket, key: key, to: path, responseContentEncoding: "identity")
        #expect(info.contentLength == 70_000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(body))
    }

    @Test func kmsEncryptionIsRequestedAndEchoed() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("kms")
        try await s3.createBucket(bucket)
        let keyID = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let put = try await s3.putObject(
            bucket: bucket, key: "k", body: Array("x".utf8), encryption: .kms(keyID: keyID, bucketKey: true))
        #expect(put.serverSideEncryption == "aws:kms")
        #expect(put.kmsKeyID == keyID)
        let head = try await s3.headObject(bucket: bucket, key: "k")
        #expect(head.kmsKeyID == keyID)
    }

    @Test func conditionalPutRefusesToReplace() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("cond")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "once", body: [1], ifNoneMatch: true)
        let error = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: bucket, key: "once", body: [2], ifNoneMatch: true)
        }
        #expect(error?.code == .preconditionFailed)
        #expect(error?.httpStatus == 412)
    }

    /// Pagination with a prefix moto can verify (no `/`; see `motoWithoutAuthentication`).
    @Test func listPaginatesWithAuthentication() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("list")
        try await s3.createBucket(bucket)
        for index in 0..<5 { try await s3.putObject(bucket: bucket, key: "p\(index)", body: [UInt8(index)]) }
        try await s3.putObject(bucket: bucket, key: "q", body: [9])
        let first = try await s3.listObjectsV2(bucket: bucket, prefix: "p", maxKeys: 2)
        #expect(first.objects.map(\.key) == ["p0", "p1"])
        let token = try #require(first.nextContinuationToken)
        let second = try await s3.listObjectsV2(bucket: bucket, prefix: "p", continuationToken: token, maxKeys: 2)
        #expect(second.objects.map(\.key) == ["p2", "p3"])
        #expect(try await s3.listAllObjects(bucket: bucket, prefix: "p").objects.count == 5)
    }

    @Test func copyDeleteAndMissingObjects() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("copy")
        try await s3.createBucket(bucket)
        try await s3.putObject(
            bucket: bucket, key: "src/a.gz", body: [1, 2, 3], contentType: "text/plain", contentEncoding: "gzip")
        try await s3.copyObject(sourceBucket: bucket, sourceKey: "src/a.gz", bucket: bucket, key: "dst/a.gz")
        let copied = try await s3.headObject(bucket: bucket, key: "dst/a.gz")
        #expect(copied.contentLength == 3)
        #expect(copied.contentEncoding == "gzip")

        try await s3.deleteObject(bucket: bucket, key: "src/a.gz")
        let missing = await #expect(throws: S3Error.self) { try await s3.headObject(bucket: bucket, key: "src/a.gz") }
        #expect(missing?.code == .noSuchKey)
        #expect(missing?.httpStatus == 404)
        #expect(missing?.bucket == bucket)
        #expect(missing?.key == "src/a.gz")

        for index in 0..<3 { try await s3.putObject(bucket: bucket, key: "many/\(index)", body: [UInt8(index)]) }
        let failures = try await s3.deleteObjects(bucket: bucket, keys: (0..<3).map { "many/\($0)" } + ["dst/a.gz"])
        #expect(failures.isEmpty)
        #expect(try await s3.listAllObjects(bucket: bucket).objects.isEmpty)

        let getMissing = await #expect(throws: S3Error.self) {
            try await s3.getObject(bucket: bucket, key: "nope", to: "/tmp/\(uniqueName("never"))")
        }
        #expect(getMissing?.code == .noSuchKey)
        #expect(getMissing?.requestID != nil)
    }

    @Test func headBucketAndMissingBucket() async throws {
        let s3 = try MotoContext.require().client()
        let bucket = uniqueName("head")
        try await s3.createBucket(bucket)
        try await s3.headBucket(bucket)
        let error = await #expect(throws: S3Error.self) { try await s3.headBucket(uniqueName("absent")) }
        #expect(error?.code == .noSuchBucket)
        let put = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: uniqueName("absent"), key: "k", body: [1])
        }
        #expect(put?.code == .noSuchBucket)
        #expect(put?.message.contains("does not exist") == true)
    }
}
