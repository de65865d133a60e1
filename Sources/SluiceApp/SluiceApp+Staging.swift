import ArchiveFormat
import AsyncHTTPClient
import Foundation
import Logging
import S3
import Storage

/// Where closed batches are staged: the data directory's local bucket (the embedded default), or an S3 bucket a
/// cluster's nodes share (`--staging s3://bucket/prefix`, `SLUICE_STAGING`, config `staging`).
public struct StagingSettings: Sendable, Codable, Equatable {
    /// `s3://BUCKET[/PREFIX]`; nil means `{data-dir}/bucket`.
    public var url: String?
    /// An S3-compatible endpoint (default AWS).
    public var endpoint: String?
    /// The bucket's region (default: discovered).
    public var region: String?

    public init(url: String? = nil, endpoint: String? = nil, region: String? = nil) {
        self.url = url
        self.endpoint = endpoint
        self.region = region
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, endpoint, region
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, section: "staging")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        region = try c.decodeIfPresent(String.self, forKey: .region)
    }
}

/// A staging store that cannot be used as configured (a bad URL, a missing bucket, no permission to write): the
/// command stops with this one line and exit code 2.
public struct StagingConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension SluiceApp {
    /// The one place that turns staging settings into an `ArchiveStore`. An S3 store uses the same credentials
    /// chain as destinations (environment, profiles, web identity, container or instance role) and downloads
    /// into `{data-dir}/staging/downloads` when a staged file is read.
    static func openStaging(
        _ settings: StagingSettings, data: DataDirectory, httpClient: HTTPClient, environment: [String: String],
        logger: Logger
    ) throws -> any ArchiveStore {
        guard let url = settings.url, !url.isEmpty else { return LocalArchiveStore(root: data.bucketPath) }
        guard url.hasPrefix("s3://") else {
            throw StagingConfigurationError(message: "--staging must be an s3://BUCKET[/PREFIX] URL, not '\(url)'")
        }
        let location: BucketString
        do {
            location = try BucketString.parse(String(url.dropFirst(5)))
        } catch {
            throw StagingConfigurationError(message: "--staging \(url): \(error.message)")
        }
        let client: S3Client
        do {
            client = try S3Client(
                configuration: .init(
                    endpoint: settings.endpoint, region: settings.region,
                    credentials: CredentialsProviderChain.default(environment: environment, httpClient: httpClient)),
                httpClient: httpClient, logger: logger)
        } catch {
            throw StagingConfigurationError(message: "--staging-endpoint \(settings.endpoint ?? ""): \(error)")
        }
        return S3ArchiveStore(
            client: client, bucket: location.bucket, prefix: location.prefix,
            temporaryDirectory: data.path + "/staging/downloads")
    }

    /// Proves at start that the staging store takes writes: puts, reads back and deletes a small object under
    /// `sluice-probe/`, which no listing of batches includes.
    static func probe(_ store: any ArchiveStore, data: DataDirectory, nodeID: String) async throws {
        guard !(store is LocalArchiveStore) else { return }
        let key = "sluice-probe/\(nodeID)-\(UUID().uuidString.lowercased()).txt"
        let path = data.path + "/staging/probe-\(UUID().uuidString.lowercased())"
        try Data("sluice staging probe\n".utf8).write(to: URL(fileURLWithPath: path))
        do throws(ArchiveStoreError) {
            try await store.put(file: path, key: key, metadata: ObjectMetadata(contentType: "text/plain"))
            guard try await store.head(key: key) != nil else {
                throw ArchiveStoreError(.failed, "the probe object was not there after it was written")
            }
            try await store.delete(key: key)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StagingConfigurationError(
                message: "the staging store \(store.location) cannot be used: \(error.message) "
                    + "(check that the bucket exists and that these credentials may PutObject, GetObject, "
                    + "ListBucket and DeleteObject there)")
        }
    }
}
