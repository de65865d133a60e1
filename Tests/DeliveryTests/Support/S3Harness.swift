import AsyncHTTPClient
import Catalog
import Delivery
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Staged files, a real catalog, and the real S3 connector pointed at a local S3 server.
struct S3Harness {
    let fixture: StagedFixture
    let endpoint: String
    let principal: AWSCredentials
    let connector: S3DestinationConnector
    let logger = Logger(label: "test.delivery.s3")
    /// Without automatic gunzip (HTTPClient.shared has it on), so downloads compare byte for byte.
    static let http = HTTPClient(eventLoopGroupProvider: .singleton)

    init(fixture: StagedFixture, endpoint: String, principal: AWSCredentials, stsEndpoint: String? = nil) {
        self.fixture = fixture
        self.endpoint = endpoint
        self.principal = principal
        connector = S3DestinationConnector(
            httpClient: Self.http, principal: StaticCredentialsProvider(principal), stsEndpoint: stsEndpoint,
            logger: logger)
    }

    /// A runner with real waits (short backoff) and the real clock.
    func runner(attempts: Int = 5) -> CopyRunner {
        let copier = DestinationCopier(
            staging: fixture.staging, attempts: attempts,
            backoff: Backoff(baseMilliseconds: 50, capMilliseconds: 1_000),
            sleep: { ms in try await Task.sleep(for: .milliseconds(ms)) },
            now: { Int64(Date().timeIntervalSince1970 * 1000) }, logger: logger)
        return CopyRunner(
            catalog: fixture.catalog, staging: fixture.staging, connector: connector, copier: copier, logger: logger)
    }

    /// A client for checking what landed, with `credentials` (default: the principal's).
    func client(_ credentials: AWSCredentials? = nil, region: String? = "us-east-1") throws -> S3Client {
        try S3Client(
            configuration: .init(
                endpoint: endpoint, region: region, addressing: .path,
                credentials: StaticCredentialsProvider(credentials ?? principal)),
            httpClient: Self.http, logger: logger)
    }

    func addDestination(
        _ bucket: String, encryption: DestinationEncryption = .aes256, access: DestinationAccess = .defaultChain,
        region: String? = nil
    ) async throws -> Destination {
        let destination = Destination(
            id: Identifiers.newDestinationID(), sourceID: fixture.source.id, bucket: bucket, encryption: encryption,
            access: access, endpoint: endpoint, region: region, createdAtMilliseconds: 1)
        try await fixture.catalog.createDestination(destination)
        return destination
    }

    /// Every staged file is in `bucket` under `prefix` exactly once (no other object under `segment-logs/`), with
    /// the staged bytes and Segment's metadata. `reader` downloads (default: `client`): on a bucket with ACLs,
    /// objects belong to the principal that wrote them.
    func expectExactlyOnce(
        bucket: String, prefix: String = "", client: S3Client, reader: S3Client? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let root = prefix.isEmpty ? "" : prefix + "/"
        let listed = try await client.listAllObjects(bucket: bucket, prefix: root + "segment-logs/").objects
        let expected = fixture.keys.map { root + $0 }
        #expect(listed.map(\.key).sorted() == expected.sorted(), sourceLocation: sourceLocation)
        let scratch = try TemporaryDirectory("delivered")
        defer { scratch.remove() }
        for (stagedKey, key) in zip(fixture.keys, expected) {
            let path = scratch.path + "/" + UUID().uuidString
            let info = try await (reader ?? client).getObject(
                bucket: bucket, key: key, to: path, responseContentEncoding: nil)
            #expect(
                FileManager.default.contents(atPath: path).map(Array.init) == fixture.bytes(stagedKey),
                sourceLocation: sourceLocation)
            #expect(info.contentType == "text/plain" && info.contentEncoding == "gzip", sourceLocation: sourceLocation)
        }
    }
}
