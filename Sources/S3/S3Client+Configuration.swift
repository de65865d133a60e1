import Metrics

extension S3Client {
    /// How bucket names are put into requests.
    public enum Addressing: Sendable, Hashable {
        /// Virtual-hosted on AWS when the bucket name allows it, path style on custom endpoints.
        case auto
        /// `https://bucket.endpoint/key` (AWS, VPC endpoints with a bucket wildcard).
        case virtualHosted
        /// `https://endpoint/bucket/key` (MinIO, Ceph, moto).
        case path
    }

    /// When and how files are uploaded in parts.
    public struct MultipartPolicy: Sendable, Hashable {
        /// Files of at least this many bytes are uploaded in parts.
        public var threshold: Int
        /// Bytes per part (S3 needs at least 5 MiB for every part but the last); raised automatically so that
        /// no upload needs more than 10,000 parts.
        public var partSize: Int
        /// Parts in flight at once, per upload.
        public var concurrency: Int

        public init(threshold: Int = 16 << 20, partSize: Int = 8 << 20, concurrency: Int = 4) {
            self.threshold = threshold
            self.partSize = partSize
            self.concurrency = max(1, concurrency)
        }
    }

    /// Time limits per HTTP request (each attempt).
    public struct Timeouts: Sendable, Hashable {
        /// Whole request, for requests without a large body.
        public var request: Duration
        /// Whole request for uploads and downloads of bodies (per part for multipart).
        public var transfer: Duration

        public init(request: Duration = .seconds(30), transfer: Duration = .seconds(300)) {
            self.request = request
            self.transfer = transfer
        }
    }

    /// Everything an `S3Client` needs besides the `HTTPClient`.
    ///
    /// ```swift
    /// let configuration = S3Client.Configuration(
    ///     credentials: CredentialsProviderChain.default(environment: env, httpClient: http))
    /// // endpoint nil -> AWS; region nil -> discovered per bucket
    /// ```
    public struct Configuration: Sendable {
        /// A custom endpoint (`http://127.0.0.1:9000`); nil means AWS's regional endpoints.
        public var endpoint: String?
        /// The region to sign for; nil means discovered per bucket and cached.
        public var region: String?
        public var addressing: Addressing
        public var credentials: any CredentialsProvider
        public var retry: RetryPolicy
        public var multipart: MultipartPolicy
        public var timeouts: Timeouts
        /// Largest response body read into memory for XML answers.
        public var maxResponseBodyBytes: Int
        /// Where metrics go; nil means the process-wide `MetricsSystem`.
        public var metricsFactory: (any MetricsFactory)?

        public init(
            endpoint: String? = nil, region: String? = nil, addressing: Addressing = .auto,
            credentials: any CredentialsProvider, retry: RetryPolicy = RetryPolicy(),
            multipart: MultipartPolicy = MultipartPolicy(), timeouts: Timeouts = Timeouts(),
            maxResponseBodyBytes: Int = 16 << 20, metricsFactory: (any MetricsFactory)? = nil
        ) {
            self.endpoint = endpoint
            self.region = region
            self.addressing = addressing
            self.credentials = credentials
            self.retry = retry
            self.multipart = multipart
            self.timeouts = timeouts
            self.maxResponseBodyBytes = maxResponseBodyBytes
            self.metricsFactory = metricsFactory
        }
    }
}
