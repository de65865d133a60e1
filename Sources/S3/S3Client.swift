import AsyncHTTPClient
import Foundation
import Logging
import SigV4
import Synchronization

/// An S3 client that signs its own requests (SigV4), discovers bucket regions, retries transient failures and
/// reports every failure as one `S3Error`. Sendable; share one per process with one `HTTPClient`.
///
/// ```swift
/// let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: S3Client.httpClientConfiguration())
/// let s3 = try S3Client(
///     configuration: .init(endpoint: "http://127.0.0.1:9000", credentials: StaticCredentialsProvider(keys)),
///     httpClient: http, logger: logger)
/// try await s3.putObject(bucket: "archive", key: "a/b.gz", body: bytes, contentType: "text/plain",
///                        contentEncoding: "gzip", encryption: .aes256)
/// ```
///
/// It never sends `Expect: 100-continue`: a server that answers such a request early leaves the pooled
/// connection in a state some stacks stall on, and the saving (not sending a body that will be refused) is small
/// next to that risk.
public struct S3Client: Sendable {
    public let configuration: Configuration
    let httpClient: HTTPClient
    let logger: Logger
    let baseEndpoint: S3Endpoint.BaseEndpoint?
    let metrics: S3Metrics
    let state: SharedState

    /// Creates a client. Throws `.invalidConfiguration` for an endpoint that is not an http(s) URL.
    public init(configuration: Configuration, httpClient: HTTPClient, logger: Logger) throws {
        if let endpoint = configuration.endpoint {
            guard let base = S3Endpoint.BaseEndpoint(endpoint) else {
                throw S3Error(
                    code: .invalidConfiguration,
                    message: "S3 endpoint \"\(endpoint)\" is not an http:// or https:// URL with a host.")
            }
            baseEndpoint = base
        } else {
            baseEndpoint = nil
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.metrics = S3Metrics(factory: configuration.metricsFactory)
        self.state = SharedState()
    }

    /// Mutable state shared by copies of the client: discovered regions and the measured clock skew.
    final class SharedState: Sendable {
        let regions = Mutex<[String: String]>([:])
        /// Server time minus local time, in seconds, learned from `RequestTimeTooSkewed` answers.
        let clockSkew = Mutex<Int64>(0)
    }

    /// The signing time: now, corrected by any skew the server told us about.
    func timestamp() -> SigV4Timestamp {
        let skew = state.clockSkew.withLock { $0 }
        return SigV4Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970) + skew)
    }
}

extension S3Client {
    /// The `HTTPClient` configuration the client needs: no automatic redirects (a 301 names the bucket's region
    /// and must be re-signed, not followed) and no transparent decompression (a `.gz` object must arrive as
    /// stored). `HTTPClient.shared` does both, so do not use it for S3.
    ///
    /// ```swift
    /// let http = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup,
    ///                       configuration: S3Client.httpClientConfiguration())
    /// ```
    public static func httpClientConfiguration(
        connectTimeout: Duration = .seconds(10), idleConnectionTimeout: Duration = .seconds(50)
    ) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(RetryPolicy.nanoseconds(connectTimeout))),
            connectionPool: .init(idleTimeout: .nanoseconds(RetryPolicy.nanoseconds(idleConnectionTimeout))),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        return configuration
    }
}
