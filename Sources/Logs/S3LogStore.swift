import ArchiveFormat
import AsyncHTTPClient
import Logging
import S3

/// Logs in an S3 bucket (AWS or any S3-compatible server), listed with ListObjectsV2 and read with GetObject.
///
/// ```swift
/// try await S3LogStore.withStore(bucket: try BucketString.parse("my-bucket/prefix"), endpoint: nil, region: nil,
///                                environment: ProcessInfo.processInfo.environment, logger: logger) { store in
///     print(DaysReport.render(try await store.days(source: source)))
/// }
/// ```
public struct S3LogStore: LogStore {
    public let client: S3Client
    public let bucket: BucketString
    /// Days listed at once by `days(source:)`.
    public var listingConcurrency = 8

    /// A store over `client`.
    public init(client: S3Client, bucket: BucketString) {
        self.client = client
        self.bucket = bucket
    }

    /// Runs `body` with a store on its own HTTP client (a connection pool sized for `concurrency` parallel
    /// downloads), shut down afterwards. Credentials come from the usual AWS chain (environment, profile, web
    /// identity, container, instance metadata); a nil `region` is discovered from the bucket.
    public static func withStore<Result: Sendable>(
        bucket: BucketString, endpoint: String?, region: String?, environment: [String: String],
        concurrency: Int = 16, logger: Logger, _ body: (S3LogStore) async throws -> Result
    ) async throws -> Result {
        var httpConfiguration = S3Client.httpClientConfiguration()
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(concurrency, 8)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        let result: Swift.Result<Result, any Error>
        do {
            let client = try S3Client(
                configuration: .init(
                    endpoint: endpoint, region: region,
                    credentials: CredentialsProviderChain.default(environment: environment, httpClient: http)),
                httpClient: http, logger: logger)
            result = .success(try await body(S3LogStore(client: client, bucket: bucket)))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        return try result.get()
    }

    public var location: String { "s3://\(bucket)" }

    /// `{prefix/}segment-logs/{source}/`.
    func sourceFolder(_ source: SourceID) -> String {
        let base = "\(ObjectKey.logsFolder)/\(source.rawValue)/"
        return bucket.prefix.isEmpty ? base : "\(bucket.prefix)/\(base)"
    }

    public func days(source: SourceID) async throws(LogsError) -> [DayListing] {
        let folder = sourceFolder(source)
        let listing = try await list(prefix: folder, delimiter: "/")
        let days = listing.commonPrefixes.compactMap { prefix in
            ReceivedDay(folderName: prefix.dropFirst(folder.count).dropLast())
        }.sorted()
        guard !days.isEmpty else { throw try await sourceNotFound(source) }
        var result: [DayListing] = []
        // Each day is listed separately so a long history is listed in parallel.
        for start in stride(from: 0, to: days.count, by: listingConcurrency) {
            let chunk = days[start..<min(start + listingConcurrency, days.count)]
            let listed = try await LogsError.catching {
                try await withThrowingTaskGroup(of: DayListing.self) { group in
                    for day in chunk {
                        group.addTask {
                            DayListing.summarize(try await self.files(source: source, day: day)).first
                                ?? DayListing(day: day, fileCount: 0, bytes: 0)
                        }
                    }
                    return try await group.reduce(into: [DayListing]()) { $0.append($1) }
                }
            }
            result += listed
        }
        return result.sorted { $0.day < $1.day }
    }

    public func files(source: SourceID, day: ReceivedDay) async throws(LogsError) -> [LogFile] {
        let folder = ObjectKey.folder(prefix: bucket.prefix, sourceID: source, day: day)
        return try await list(prefix: folder, delimiter: nil).objects.compactMap { object in
            let name = String(object.key.dropFirst(folder.count))
            guard !name.isEmpty, !name.hasSuffix("/") else { return nil }
            return LogFile(day: day, name: name, key: object.key, size: object.size, eTag: object.eTag)
        }.sorted { $0.name < $1.name }
    }

    public func download(_ file: LogFile, to path: String) async throws(LogsError) -> String {
        // The HTTP client never decodes Content-Encoding; asking S3 to answer "identity" also keeps any proxy or
        // stack in between from gunzipping the body (the seed's ResponseContentEncoding note).
        let info = try await LogsError.catching(bucket: bucket.bucket) {
            try await client.getObject(
                bucket: bucket.bucket, key: file.key, to: path, responseContentEncoding: "identity")
        }
        return info.eTag.isEmpty ? file.eTag : info.eTag
    }

    public func localPath(of file: LogFile) -> String? { nil }

    func list(prefix: String, delimiter: String?) async throws(LogsError) -> (
        objects: [ObjectSummary], commonPrefixes: [String]
    ) {
        try await LogsError.catching(bucket: bucket.bucket) {
            try await client.listAllObjects(bucket: bucket.bucket, prefix: prefix, delimiter: delimiter)
        }
    }

    /// `.sourceNotFound`, naming the sources that do exist.
    func sourceNotFound(_ source: SourceID) async throws(LogsError) -> LogsError {
        let logs = bucket.prefix.isEmpty ? "\(ObjectKey.logsFolder)/" : "\(bucket.prefix)/\(ObjectKey.logsFolder)/"
        let others = try await list(prefix: logs, delimiter: "/").commonPrefixes.map {
            String($0.dropFirst(logs.count).dropLast())
        }
        let hint =
            others.isEmpty
            ? "There is no \(logs) folder at all: check the bucket and its prefix (--bucket bucket/prefix)."
            : "Sources with logs there: \(others.prefix(20).joined(separator: ", "))."
        return LogsError(.sourceNotFound, "\(location) has no folder \(logs)\(source)/. \(hint)")
    }
}
