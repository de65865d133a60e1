import AsyncHTTPClient
import Logging
import S3
import SluiceTesting
import Testing

/// Starts one Ceph cluster with radosgw around a whole suite (the `.radosGateway` trait).
struct RadosGatewayTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: RadosGateway?
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let gateway = try await RadosGateway.start()
        defer { gateway.stop() }
        try await Self.$current.withValue(gateway) { try await function() }
    }

    static func require() throws -> RadosGateway {
        try #require(current, "test must run inside a suite with the .radosGateway trait")
    }

    /// A client for the gateway, path style, as the owner unless other keys are given.
    static func client(
        accessKeyID: String = RadosGateway.owner.accessKeyID, secret: String = RadosGateway.owner.secretAccessKey,
        region: String? = "us-east-1", multipart: S3Client.MultipartPolicy = .init(),
        retry: RetryPolicy = .init(maxAttempts: 3), timeouts: S3Client.Timeouts = .init(),
        httpClient: HTTPClient = testHTTPClient
    ) throws -> S3Client {
        try S3Client(
            configuration: .init(
                endpoint: try require().endpoint, region: region, addressing: .path,
                credentials: StaticCredentialsProvider(
                    AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret)),
                retry: retry, multipart: multipart, timeouts: timeouts),
            httpClient: httpClient, logger: Logger(label: "test.rgw"))
    }
}

extension Trait where Self == RadosGatewayTrait {
    /// Runs the suite against a fresh one-node Ceph cluster's radosgw.
    static var radosGateway: RadosGatewayTrait { RadosGatewayTrait() }
}
