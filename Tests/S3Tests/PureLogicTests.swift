import Foundation
import NIOHTTP1
@testable import S3
import Testing

/// The pure parts of the S3 layer: retry decisions and backoff, addressing, region hints, multipart plans.
@Suite struct PureLogicTests {
    @Test(
        arguments: [
            (nil, S3Error.Code.connectionFailed, true), (503, .slowDown, true), (500, .internalError, true),
            (400, .requestTimeout, true), (429, "TooManyRequests", true), (502, "BadGateway", true),
            (403, .accessDenied, false), (403, .signatureDoesNotMatch, false), (404, .noSuchKey, false),
            (400, .badDigest, false), (400, .entityTooSmall, false), (412, .preconditionFailed, false),
        ] as [(Int?, S3Error.Code, Bool)])
    func retryClassification(_ status: Int?, _ code: S3Error.Code, _ retryable: Bool) {
        #expect(RetryPolicy.isRetryable(status: status, code: code) == retryable)
    }

    @Test func backoffIsFullJitterUnderAnExponentialCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...8 {
            let cap = min(Duration.milliseconds(100 * (1 << (attempt - 1))), .seconds(2))
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= cap })
            #expect(delays.contains { $0 < cap / 2 }, "jitter reaches the lower half")
        }
        #expect(policy.allowsAttempt(10, elapsed: .seconds(1)))
        #expect(!policy.allowsAttempt(11, elapsed: .seconds(1)))
        #expect(!policy.allowsAttempt(2, elapsed: .seconds(121)))
    }

    @Test func awsAddressing() {
        let virtual = S3Endpoint.resolve(
            base: nil, region: "eu-west-1", bucket: "my-bucket", key: "a b/c.gz", addressing: .auto)
        #expect(virtual.url(query: "") == "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.gz")
        let dotted = S3Endpoint.resolve(
            base: nil, region: "us-east-1", bucket: "my.bucket", key: "k", addressing: .auto)
        #expect(dotted.url(query: "x=1") == "https://s3.us-east-1.amazonaws.com/my.bucket/k?x=1")
        let path = S3Endpoint.resolve(base: nil, region: "us-east-1", bucket: "b-1", key: nil, addressing: .path)
        #expect(path.url(query: "") == "https://s3.us-east-1.amazonaws.com/b-1")
        let china = S3Endpoint.resolve(base: nil, region: "cn-north-1", bucket: "bkt", key: "k", addressing: .auto)
        #expect(china.hostHeader == "bkt.s3.cn-north-1.amazonaws.com.cn")
    }

    @Test func customEndpoints() throws {
        let minio = try #require(S3Endpoint.BaseEndpoint("http://127.0.0.1:9000"))
        let onMinio = S3Endpoint.resolve(base: minio, region: "us-east-1", bucket: "bkt", key: "k", addressing: .auto)
        #expect(onMinio.url(query: "") == "http://127.0.0.1:9000/bkt/k")
        #expect(onMinio.hostHeader == "127.0.0.1:9000")
        let vpce = try #require(S3Endpoint.BaseEndpoint("https://vpce-1a2b.s3.eu-west-1.vpce.amazonaws.com:443/"))
        let onVPCE = S3Endpoint.resolve(
            base: vpce, region: "eu-west-1", bucket: "bkt", key: "k", addressing: .virtualHosted)
        #expect(onVPCE.url(query: "") == "https://bkt.vpce-1a2b.s3.eu-west-1.vpce.amazonaws.com/k")
        #expect(S3Endpoint.BaseEndpoint("ftp://x") == nil)
        #expect(S3Endpoint.BaseEndpoint("not a url") == nil)
    }

    @Test func regionHints() {
        var headers = HTTPHeaders()
        headers.add(name: "x-amz-bucket-region", value: "ap-south-1")
        #expect(RegionHint.region(status: 301, headers: headers, errorBody: nil) == "ap-south-1")
        #expect(RegionHint.region(status: 200, headers: headers, errorBody: nil) == nil)
        let body = XMLNode.parse(
            Array(
                "<Error><Code>AuthorizationHeaderMalformed</Code><Region>eu-central-1</Region></Error>".utf8))
        #expect(RegionHint.region(status: 400, headers: [:], errorBody: body) == "eu-central-1")
        #expect(RegionHint.fromLocationConstraint(nil) == "us-east-1")
        #expect(RegionHint.fromLocationConstraint("") == "us-east-1")
        #expect(RegionHint.fromLocationConstraint("EU") == "eu-west-1")
        #expect(RegionHint.fromLocationConstraint("sa-east-1") == "sa-east-1")
    }

    @Test func multipartPlans() {
        let plan = MultipartPlan(size: 20, partSize: 8)
        #expect(plan.parts.map(\.length) == [8, 8, 4])
        #expect(plan.parts.map(\.offset) == [0, 8, 16])
        #expect(MultipartPlan(size: 0, partSize: 8).parts.count == 1)
        let huge = MultipartPlan(size: 100_000 * 8 + 1, partSize: 8)
        #expect(huge.parts.count <= MultipartPlan.maxParts)
        #expect(huge.parts.reduce(0) { $0 + $1.length } == 800_001)
    }

    @Test func errorAdviceNamesTheFix() {
        let denied = S3Error.fromResponse(
            code: .accessDenied, serverMessage: "Access Denied", httpStatus: 403, bucket: "dest", key: "k",
            requestID: "r1", operation: "PutObject", region: nil)
        #expect(denied.message.contains("bucket policy"))
        #expect(denied.message.contains("arn:aws:s3:::dest/*"))
        #expect("\(denied)".contains("requestID: r1"))
        let redirect = S3Error.fromResponse(
            code: .permanentRedirect, serverMessage: nil, httpStatus: 301, bucket: "b", key: nil, requestID: nil,
            operation: "HeadBucket", region: "eu-west-1")
        #expect(redirect.message.contains("eu-west-1"))
        #expect(S3Error.codeForBodylessStatus(404, hasKey: true) == .noSuchKey)
        #expect(S3Error.codeForBodylessStatus(404, hasKey: false) == .noSuchBucket)
    }

    @Test func xmlParsingAndEscaping() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Contents><Key>a&amp;b</Key></Contents>
            <Contents><Key>c</Key></Contents></ListBucketResult>
            """
        let root = try #require(XMLNode.parse(Array(xml.utf8)))
        #expect(root.name == "ListBucketResult")
        #expect(root.all("Contents").compactMap { $0.string("Key") } == ["a&b", "c"])
        #expect(XMLNode.escape("<a & 'b'>") == "&lt;a &amp; &apos;b&apos;&gt;")
        #expect(XMLNode.parse(Array("not xml".utf8)) == nil)
    }
}
