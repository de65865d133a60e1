import AsyncHTTPClient
import Foundation
import Logging
import MetricsTestKit
import S3
import SluiceTesting
import Testing

/// Metrics and the web-identity provider, against moto with authentication off (moto checks no token).
@Suite(.motoWithoutAuthentication(), .timeLimit(.minutes(5)))
struct MotoMetricsTests {
    @Test func requestsErrorsRetriesBytesAndLatencyAreCounted() async throws {
        let moto = try MotoContext.require()
        let metrics = TestMetrics()
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.server.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(moto.user), metricsFactory: metrics),
            httpClient: testHTTPClient, logger: Logger(label: "test.metrics"))
        let bucket = uniqueName("metrics")
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "k", body: randomBytes(1000))
        _ = try? await s3.headObject(bucket: bucket, key: "missing")

        #expect(try metrics.expectCounter("sluice_s3_requests_total", [("operation", "PutObject")]).totalValue == 1)
        #expect(
            try metrics.expectCounter(
                "sluice_s3_errors_total", [("operation", "HeadObject"), ("code", "NoSuchKey")]
            ).totalValue == 1)
        #expect(try metrics.expectCounter("sluice_s3_bytes_sent_total").totalValue >= 1000)
        #expect(
            try metrics.expectTimer("sluice_s3_request_duration_seconds", [("operation", "PutObject")]).values.count
                == 1)
    }

    @Test(.enabled(if: FaultProxy.isInstalled, "the fault proxy needs nginx"))
    func retriesAreCountedThroughTheFaultProxy() async throws {
        let moto = try MotoContext.require()
        let proxy = try await FaultProxy.start(
            upstreamPort: moto.server.port, slowDownPercent: 50, internalErrorPercent: 0, dropPercent: 0)
        defer { proxy.stop() }
        let metrics = TestMetrics()
        let s3 = try S3Client(
            configuration: .init(
                endpoint: proxy.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(moto.user),
                retry: RetryPolicy(maxAttempts: 20, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10)),
                metricsFactory: metrics),
            httpClient: testHTTPClient, logger: Logger(label: "test.metrics"))
        let bucket = uniqueName("retries")
        try await moto.client().createBucket(bucket)
        for index in 0..<20 { try await s3.putObject(bucket: bucket, key: "k\(index)", body: [1]) }
        let retries = try metrics.expectCounter("sluice_s3_retries_total", [("operation", "PutObject")]).totalValue
        #expect(retries == Int64(proxy.statusCounts()[503, default: 0]))
        #expect(retries > 0)
    }

    @Test func webIdentityTokenIsExchangedForCredentials() async throws {
        let moto = try MotoContext.require()
        let directory = try TemporaryDirectory("web-identity")
        defer { directory.remove() }
        try "eyJhbGciOiJSUzI1NiJ9.e30.c2ln".write(toFile: directory.path + "/token", atomically: true, encoding: .utf8)
        let provider = WebIdentityCredentialsProvider(
            environment: ["AWS_ROLE_ARN": moto.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": directory.path + "/token"],
            httpClient: testHTTPClient, stsEndpoint: moto.server.endpoint)
        let credentials = try await provider.credentials(logger: Logger(label: "test"))
        #expect(credentials.sessionToken != nil)
        #expect(credentials.expiration != nil)
        let unset = await #expect(throws: S3Error.self) {
            try await WebIdentityCredentialsProvider(environment: [:], httpClient: testHTTPClient)
                .credentials(logger: Logger(label: "test"))
        }
        #expect(unset?.code == .credentialsNotFound)
    }
}
