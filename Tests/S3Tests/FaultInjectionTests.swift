import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Uploads through nginx injecting 503 SlowDown, 500 InternalError and dropped connections in front of moto
/// (authentication off; small parts allowed so multipart uploads have many parts to fail).
@Suite(
    .motoWithoutAuthentication(environment: ["S3_UPLOAD_PART_MIN_SIZE": "1"]),
    .enabled(if: FaultProxy.isInstalled, "nginx is not installed (apt-get install nginx)"),
    .timeLimit(.minutes(10)))
struct FaultInjectionTests {
    static let retry = RetryPolicy(
        maxAttempts: 12, baseDelay: .milliseconds(5), maxDelay: .milliseconds(200), maxTotalTime: .seconds(120))

    @Test func twoHundredMixedUploadsLandIntact() async throws {
        let moto = try MotoContext.require()
        let proxy = try await FaultProxy.start(
            upstreamPort: moto.server.port, slowDownPercent: 20, internalErrorPercent: 4, dropPercent: 4)
        defer { proxy.stop() }
        let direct = try moto.client()
        let bucket = uniqueName("faults")
        try await direct.createBucket(bucket)
        let s3 = try S3Client(
            configuration: .init(
                endpoint: proxy.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(moto.user), retry: Self.retry,
                multipart: .init(threshold: 256 << 10, partSize: 64 << 10, concurrency: 4)),
            httpClient: testHTTPClient, logger: Logger(label: "test.faults"))
        let directory = try TemporaryDirectory("faults")
        defer { directory.remove() }

        var generator = SystemRandomNumberGenerator()
        let sizes = (0..<200).map { index in
            index % 4 == 0
                ? Int.random(in: (256 << 10)...(1 << 20), using: &generator)
                : Int.random(in: 0...(200 << 10), using: &generator)
        }
        var files: [(key: String, path: String, bytes: [UInt8])] = []
        for (index, size) in sizes.enumerated() {
            let bytes = randomBytes(size)
            let path = directory.path + "/f\(index)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            files.append(("segment-logs/src/day/f\(index).gz", path, bytes))
        }

        let results = try await withThrowingTaskGroup(of: PutObjectResult.self) { group in
            var results: [PutObjectResult] = []
            var next = 0
            func add() {
                let file = files[next]
                next += 1
                group.addTask { try await s3.uploadFile(bucket: bucket, key: file.key, path: file.path) }
            }
            for _ in 0..<8 { add() }
            while let result = try await group.next() {
                results.append(result)
                if next < files.count { add() }
            }
            return results
        }
        #expect(results.count == 200)
        #expect(results.filter { $0.partCount != nil }.count == 50)

        for file in files {
            let target = directory.path + "/check"
            try await direct.getObject(bucket: bucket, key: file.key, to: target)
            let stored = try Data(contentsOf: URL(fileURLWithPath: target))
            #expect(stored == Data(file.bytes), "\(file.key) differs")
        }
        #expect(try await direct.listMultipartUploads(bucket: bucket).isEmpty)

        let counts = proxy.statusCounts()
        #expect(counts[503, default: 0] > 50, "faults injected: \(counts)")
        #expect(counts[500, default: 0] > 5, "faults injected: \(counts)")
        #expect(counts[444, default: 0] > 5, "faults injected: \(counts)")
    }

    @Test func partsThatAlwaysFailAbortTheUpload() async throws {
        let moto = try MotoContext.require()
        let proxy = try await FaultProxy.start(
            upstreamPort: moto.server.port, slowDownPercent: 0, internalErrorPercent: 0, dropPercent: 0)
        defer { proxy.stop() }
        let direct = try moto.client()
        let bucket = uniqueName("always")
        try await direct.createBucket(bucket)
        let s3 = try S3Client(
            configuration: .init(
                endpoint: proxy.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(moto.user),
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                multipart: .init(threshold: 1 << 10, partSize: 1 << 10, concurrency: 2)),
            httpClient: testHTTPClient, logger: Logger(label: "test.faults"))
        let directory = try TemporaryDirectory("always")
        defer { directory.remove() }
        let path = directory.path + "/f"
        try Data(randomBytes(10 << 10)).write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: S3Error.self) {
            try await s3.uploadFile(bucket: bucket, key: "always-fail.gz", path: path)
        }
        #expect(error?.code == .internalError)
        #expect(error?.httpStatus == 500)
        #expect(try await direct.listMultipartUploads(bucket: bucket).isEmpty)
        #expect(proxy.accessLog().contains { $0.hasPrefix("204 DELETE") && $0.contains("always-fail.gz?uploadId=") })
    }
}

/// A request signed for the wrong region gets `301 PermanentRedirect` with `x-amz-bucket-region`, as on AWS:
/// the client re-signs for that region, retries, and caches it.
@Suite(
    .motoWithoutAuthentication(),
    .enabled(if: FaultProxy.isInstalled, "nginx is not installed (apt-get install nginx)"),
    .timeLimit(.minutes(5)))
struct RegionRedirectTests {
    @Test func permanentRedirectIsFollowedAndCached() async throws {
        let moto = try MotoContext.require()
        let proxy = try await FaultProxy.start(
            upstreamPort: moto.server.port, slowDownPercent: 0, internalErrorPercent: 0, dropPercent: 0,
            redirect: ("moved-", "eu-west-1"))
        defer { proxy.stop() }
        let bucket = uniqueName("moved")
        try await moto.client().createBucket(bucket)
        let s3 = try S3Client(
            configuration: .init(
                endpoint: proxy.endpoint, region: nil, addressing: .path,
                credentials: StaticCredentialsProvider(moto.user)),
            httpClient: testHTTPClient, logger: Logger(label: "test.redirect"))
        // moto says us-east-1 (where the bucket was created), so the first PUT is signed for it and redirected.
        #expect(try await s3.bucketRegion(bucket) == "us-east-1")
        try await s3.putObject(bucket: bucket, key: "k", body: [1, 2, 3])
        #expect(try await s3.bucketRegion(bucket) == "eu-west-1")
        try await s3.putObject(bucket: bucket, key: "k2", body: [4])
        let puts = proxy.accessLog().filter { $0.contains("PUT \"/\(bucket)/") }
        #expect(puts.map { $0.prefix(3) } == ["301", "200", "200"])
        #expect(try await moto.client().headObject(bucket: bucket, key: "k").contentLength == 3)
    }
}
