import AsyncHTTPClient
import Catalog
import Foundation
import Logging
import S3
import Synchronization

/// Reaches destination buckets with the S3 client: Sluice's own principal (the default credentials chain), a
/// destination's static keys, or the customer's role assumed with the external id. One client per destination is
/// kept (so discovered regions and assumed-role credentials are reused) until the destination's settings change.
///
/// ```swift
/// let connector = S3DestinationConnector(
///     httpClient: .shared, principal: CredentialsProviderChain.default(environment: env, httpClient: .shared),
///     logger: logger)
/// ```
public final class S3DestinationConnector: DestinationConnector {
    let httpClient: HTTPClient
    let principal: any CredentialsProvider
    let stsEndpoint: String?
    let retry: RetryPolicy
    let multipartThreshold: Int
    let environment: [String: String]
    let logger: Logger
    let clients = Mutex<[String: (settings: Destination, client: S3Client)]>([:])

    /// - Parameters:
    ///   - principal: Sluice's own credentials: used as they are for the bucket-policy kind, and to call
    ///     AssumeRole for the role kind.
    ///   - stsEndpoint: an STS endpoint override (VPC endpoints, tests); nil means AWS's.
    ///   - retry: the client's own retries per request; the copier retries whole uploads on top.
    ///   - multipartThreshold: files of at least this many bytes go up in parts. The default, S3's single-request
    ///     limit (5 GiB), keeps every batch a single PutObject: radosgw denies CreateMultipartUpload under
    ///     Segment's encryption-enforcing policy, and a single PutObject carries `If-None-Match`.
    ///   - environment: where `environmentKeys` destinations find their secrets.
    public init(
        httpClient: HTTPClient, principal: any CredentialsProvider, stsEndpoint: String? = nil,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 3), multipartThreshold: Int = defaultMultipartThreshold,
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) {
        self.httpClient = httpClient
        self.principal = principal
        self.stsEndpoint = stsEndpoint
        self.retry = retry
        self.multipartThreshold = multipartThreshold
        self.environment = environment
        self.logger = logger
    }

    /// S3's largest single PutObject, 5 GiB.
    public static let defaultMultipartThreshold = 5 << 30

    public func bucket(for target: DestinationTarget) async throws(DeliveryError) -> any DestinationBucket {
        let destination = target.destination
        let cached = clients.withLock { $0[destination.id] }
        let client: S3Client
        if let cached, cached.settings == destination {
            client = cached.client
        } else {
            client = try makeClient(destination)
            clients.withLock { $0[destination.id] = (destination, client) }
        }
        return S3DestinationBucket(
            client: client, bucket: target.address.bucket, encryption: Self.encryption(destination.encryption))
    }

    func makeClient(_ destination: Destination) throws(DeliveryError) -> S3Client {
        let credentials: any CredentialsProvider
        switch destination.access {
        case .defaultChain:
            credentials = principal
        case .staticKeys(let keyID, let secret):
            credentials = StaticCredentialsProvider(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret))
        case .environmentKeys(let keyID, let variable):
            guard let secret = environment[variable], !secret.isEmpty else {
                throw DeliveryError(
                    .invalidSettings,
                    "destination \(destination.id) takes its secret access key from $\(variable), which is not set "
                        + "on this node; set it for `sluice serve` on every node")
            }
            credentials = StaticCredentialsProvider(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret))
        case .assumeRole(let roleARN, let externalID):
            credentials = CachingCredentialsProvider(
                AssumeRoleCredentialsProvider(
                    roleARN: roleARN, externalID: externalID, sessionName: "sluice-copy", base: principal,
                    httpClient: httpClient, stsEndpoint: stsEndpoint, stsRegion: destination.region))
        }
        let configuration = S3Client.Configuration(
            endpoint: destination.endpoint, region: destination.region, credentials: credentials, retry: retry,
            multipart: .init(threshold: multipartThreshold))
        do {
            return try S3Client(configuration: configuration, httpClient: httpClient, logger: logger)
        } catch {
            throw DeliveryError(.invalidSettings, "destination \(destination.id): \(error)", underlying: error)
        }
    }

    static func encryption(_ setting: DestinationEncryption) -> ServerSideEncryption {
        switch setting {
        case .aes256: return .aes256
        case .bucketDefault: return .none
        case .kms(let keyID): return .kms(keyID: keyID, bucketKey: false)
        }
    }
}
