import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import S3
import SluiceTesting
import Testing

/// The same calls against Ceph's radosgw (an independent S3 implementation that always checks signatures and
/// Content-MD5, and encrypts with its testing KMS backend). Runs where the Ceph packages are installed; the
/// project's test command installs them (scripts/deps/apt-test.txt).
@Suite(
    .enabled(
        if: RadosGateway.isInstalled,
        "Ceph is not installed: apt-get install radosgw ceph-mon ceph-osd ceph-common (scripts/deps/apt-test.txt)"),
    .radosGateway, .serialized, .timeLimit(.minutes(10)))
struct RadosGatewayTests {
    @Test func objectCallsRoundTripWithAnyKey() async throws {
        let s3 = try RadosGatewayTrait.client()
        let bucket = uniqueName("rgw")
        try await s3.createBucket(bucket)
        try await s3.headBucket(bucket)
        let key = "p/segment-logs/src/1700000000000/a b+c=d*ü~(1).gz"
        let body = randomBytes(123_457)
        try await s3.putObject(
            bucket: bucket, key: key, body: body, contentType: "text/plain", contentEncoding: "gzip")
        let head = try await s3.headObject(bucket: bucket, key: key)
        #expect(head.contentLength == Int64(body.count))
        #expect(head.contentEncoding == "gzip")
        #expect(head.contentType == "text/plain")

        let directory = try TemporaryDirectory("rgw")
        defer { directory.remove() }
        let info = try await s3.getObject(
            bucket: bucket, key: key, to: directory.path + "/a", responseContentEncoding: "identity")
        #expect(info.contentEncoding == "identity")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/a")) == Data(body))

        try await s3.copyObject(sourceBucket: bucket, sourceKey: key, bucket: bucket, key: "copy/\(key)")
        #expect(try await s3.headObject(bucket: bucket, key: "copy/\(key)").contentLength == Int64(body.count))

        for index in 0..<5 { try await s3.putObject(bucket: bucket, key: "p/segment-logs/other\(index)/x", body: [1]) }
        let page = try await s3.listObjectsV2(bucket: bucket, prefix: "p/segment-logs/", maxKeys: 2)
        #expect(page.objects.count == 2)
        #expect(page.nextContinuationToken != nil)
        let grouped = try await s3.listObjectsV2(bucket: bucket, prefix: "p/segment-logs/", delimiter: "/")
        #expect(grouped.commonPrefixes.count == 6)
        let all = try await s3.listAllObjects(bucket: bucket)
        #expect(Set(all.objects.map(\.key)).contains(key))
        #expect(all.objects.count == 7)

        let failed = try await s3.deleteObjects(bucket: bucket, keys: all.objects.map(\.key))
        #expect(failed.isEmpty)
        #expect(try await s3.listAllObjects(bucket: bucket).objects.isEmpty)
        let missing = await #expect(throws: S3Error.self) { try await s3.headObject(bucket: bucket, key: key) }
        #expect(missing?.code == .noSuchKey)
        let noBucket = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: uniqueName("none"), key: "k", body: [1])
        }
        #expect(noBucket?.code == .noSuchBucket)
    }

    @Test func multipartUploadRoundTrips() async throws {
        let s3 = try RadosGatewayTrait.client(multipart: .init(threshold: 6 << 20, partSize: 5 << 20, concurrency: 3))
        let bucket = uniqueName("rgw-mpu")
        try await s3.createBucket(bucket)
        let directory = try TemporaryDirectory("rgw-mpu")
        defer { directory.remove() }
        let body = randomBytes((11 << 20) + 3)
        try Data(body).write(to: URL(fileURLWithPath: directory.path + "/up"))
        let result = try await s3.uploadFile(bucket: bucket, key: "big/x.gz", path: directory.path + "/up")
        #expect(result.partCount == 3)
        try await s3.getObject(bucket: bucket, key: "big/x.gz", to: directory.path + "/down")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/down")) == Data(body))
        #expect(try await s3.headObject(bucket: bucket, key: "big/x.gz").eTag.hasSuffix("-3"))
        #expect(try await s3.listMultipartUploads(bucket: bucket).isEmpty)
    }

    @Test func kmsEncryptionWithTheTestingBackend() async throws {
        let s3 = try RadosGatewayTrait.client()
        let bucket = uniqueName("rgw-kms")
        try await s3.createBucket(bucket)
        let body = randomBytes(10_000)
        let put = try await s3.putObject(
            bucket: bucket, key: "secret.gz", body: body, encryption: .kms(keyID: "testkey-1", bucketKey: false))
        #expect(put.serverSideEncryption == "aws:kms")
        #expect(put.kmsKeyID == "testkey-1")
        let head = try await s3.headObject(bucket: bucket, key: "secret.gz")
        #expect(head.serverSideEncryption == "aws:kms")
        #expect(head.kmsKeyID == "testkey-1")
        let directory = try TemporaryDirectory("rgw-kms")
        defer { directory.remove() }
        try await s3.getObject(bucket: bucket, key: "secret.gz", to: directory.path + "/plain")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/plain")) == Data(body))

        let unknown = await #expect(throws: S3Error.self) {
            try await s3.putObject(
                bucket: bucket, key: "k", body: [1], encryption: .kms(keyID: "no-such-key", bucketKey: false))
        }
        #expect(unknown?.httpStatus == 403 || unknown?.httpStatus == 400)
    }

    @Test func contentMD5IsVerified() async throws {
        let s3 = try RadosGatewayTrait.client()
        let bucket = uniqueName("rgw-md5")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "good", body: Array("hello".utf8), contentMD5: .computed)
        let wrongDigest = Data(repeating: 7, count: 16).base64EncodedString()
        let error = await #expect(throws: S3Error.self) {
            try await s3.putObject(
                bucket: bucket, key: "bad", body: Array("hello".utf8), contentMD5: .provided(wrongDigest))
        }
        #expect(error?.code == .badDigest)
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("Content-MD5") == true)
    }

    @Test func wrongSecretUnknownKeyAndAccessDenied() async throws {
        let owner = try RadosGatewayTrait.client()
        let bucket = uniqueName("rgw-auth")
        try await owner.createBucket(bucket)
        let wrong = try RadosGatewayTrait.client(secret: "not-the-secret")
        let signature = await #expect(throws: S3Error.self) {
            try await wrong.putObject(bucket: bucket, key: "k", body: [1])
        }
        #expect(signature?.code == .signatureDoesNotMatch)
        #expect(signature?.requestID != nil)
        #expect(signature.map { "\($0)" }?.contains("not-the-secret") == false)
        let unknown = try RadosGatewayTrait.client(accessKeyID: "nobody")
        let invalid = await #expect(throws: S3Error.self) { try await unknown.headObject(bucket: bucket, key: "k") }
        #expect(invalid?.httpStatus == 403)
        let invalidPut = await #expect(throws: S3Error.self) {
            try await unknown.putObject(bucket: bucket, key: "k", body: [1])
        }
        #expect(invalidPut?.code == .invalidAccessKeyID)

        // Another user without a bucket policy granting it: AccessDenied that names the policy requirement.
        // The same client then answers promptly: no Expect: 100-continue, so no half-used connection stalls.
        let writer = try RadosGatewayTrait.client(
            accessKeyID: RadosGateway.writer.accessKeyID, secret: RadosGateway.writer.secretAccessKey,
            retry: .none, timeouts: .init(request: .seconds(5), transfer: .seconds(5)))
        let denied = await #expect(throws: S3Error.self) {
            try await writer.putObject(bucket: bucket, key: "segment-logs/x.gz", body: randomBytes(300_000))
        }
        #expect(denied?.code == .accessDenied)
        #expect(denied?.message.contains("bucket policy") == true)
        #expect(denied?.message.contains("s3:PutObject") == true)
        let ownBucket = uniqueName("rgw-writer")
        try await writer.createBucket(ownBucket)
        try await writer.putObject(bucket: ownBucket, key: "after-denial", body: [1])
    }

    @Test func regionFallsBackToGetBucketLocation() async throws {
        let s3 = try RadosGatewayTrait.client(region: nil)
        let bucket = uniqueName("rgw-region")
        try await RadosGatewayTrait.client().createBucket(bucket)
        #expect(try await s3.bucketLocation(bucket) == "us-east-1")
        #expect(try await s3.bucketRegion(bucket) == "us-east-1")
        try await s3.putObject(bucket: bucket, key: "k", body: [1])
    }

    /// Sequential requests on one client reuse one keep-alive connection (radosgw's beast keeps connections
    /// open; moto closes every one, so this is only observable here).
    @Test func keepAliveConnectionIsReused() async throws {
        let gateway = try RadosGatewayTrait.require()
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: S3Client.httpClientConfiguration())
        let s3 = try RadosGatewayTrait.client(httpClient: http)
        let bucket = uniqueName("rgw-keepalive")
        let before = TCPConnections.sockets(toPort: gateway.port)
        try await s3.createBucket(bucket)
        for index in 0..<20 {
            try await s3.putObject(bucket: bucket, key: "k\(index)", body: randomBytes(1000))
            _ = try await s3.headObject(bucket: bucket, key: "k\(index)")
        }
        let after = TCPConnections.sockets(toPort: gateway.port)
        try await http.shutdown()
        let opened = after.filter { before[$0.key] == nil }
        // Reuse: one new socket, still established. Without it: one per request, mostly in TIME_WAIT.
        #expect(opened.count == 1, "sockets opened for 41 requests: \(opened)")
        #expect(opened.values.allSatisfy { $0 == "01" }, "states: \(opened)")
    }
}

/// Client-side TCP sockets of this machine to a local port (local address -> state, `01` = established,
/// `06` = TIME_WAIT), read from /proc/net/tcp.
enum TCPConnections {
    static func sockets(toPort port: Int) -> [String: String] {
        // /proc files report a size of 0, so read to the end instead of by size.
        guard let data = FileHandle(forReadingAtPath: "/proc/net/tcp")?.readDataToEndOfFile() else { return [:] }
        let table = String(decoding: data, as: UTF8.self)
        var result: [String: String] = [:]
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3 else { continue }
            let remote = fields[2].split(separator: ":")
            guard remote.count == 2, Int(remote[1], radix: 16) == port else { continue }
            result[String(fields[1])] = String(fields[3])
        }
        return result
    }
}
