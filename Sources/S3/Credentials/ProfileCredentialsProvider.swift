import AsyncHTTPClient
import Foundation
import Logging

/// Credentials from the shared files: `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE`,
/// `AWS_CONFIG_FILE`), profile `AWS_PROFILE` or `default`. A profile holds keys, or `role_arn` with
/// `source_profile` (and optional `external_id`, `role_session_name`), which assumes the role with the source
/// profile's keys.
public struct ProfileCredentialsProvider: CredentialsProvider {
    public let profile: String
    let credentialsPath: String
    let configPath: String
    let httpClient: HTTPClient?

    public init(environment: [String: String], profile: String? = nil, httpClient: HTTPClient? = nil) {
        let home = environment["HOME"].nonEmpty ?? NSHomeDirectory()
        self.profile = profile ?? environment["AWS_PROFILE"].nonEmpty ?? "default"
        self.credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"].nonEmpty ?? home + "/.aws/credentials"
        self.configPath = environment["AWS_CONFIG_FILE"].nonEmpty ?? home + "/.aws/config"
        self.httpClient = httpClient
    }

    public var name: String { "profile \(profile)" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        let merged = try loadProfiles()
        return try await resolve(profile, in: merged, depth: 0, logger: logger)
    }

    /// Both files merged; the credentials file wins for keys it sets.
    func loadProfiles() throws -> [String: [String: String]] {
        let config = (try? String(contentsOfFile: configPath, encoding: .utf8)).map {
            AWSConfigFile(parsing: $0, isConfigFile: true).sections
        }
        let credentials = (try? String(contentsOfFile: credentialsPath, encoding: .utf8)).map {
            AWSConfigFile(parsing: $0, isConfigFile: false).sections
        }
        guard config != nil || credentials != nil else {
            throw S3Error.credentialsNotFound("Neither \(credentialsPath) nor \(configPath) exists.")
        }
        var merged = config ?? [:]
        for (name, values) in credentials ?? [:] { merged[name, default: [:]].merge(values) { $1 } }
        return merged
    }

    private func resolve(_ name: String, in profiles: [String: [String: String]], depth: Int, logger: Logger)
        async throws -> AWSCredentials
    {
        guard let values = profiles[name] else {
            throw S3Error.credentialsNotFound("Profile \"\(name)\" is in neither \(credentialsPath) nor \(configPath).")
        }
        if let roleARN = values["role_arn"], let source = values["source_profile"] {
            guard depth < 5, let httpClient else {
                throw S3Error(
                    code: .invalidConfiguration,
                    message: "Profile \"\(name)\" assumes a role but role chaining is too deep or has no HTTP client.")
            }
            let base = try await resolve(source, in: profiles, depth: depth + 1, logger: logger)
            let assume = AssumeRoleCredentialsProvider(
                roleARN: roleARN, externalID: values["external_id"],
                sessionName: values["role_session_name"] ?? "sluice",
                base: StaticCredentialsProvider(base), httpClient: httpClient, stsRegion: values["region"])
            return try await assume.credentials(logger: logger)
        }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
            throw S3Error.credentialsNotFound("Profile \"\(name)\" has no aws_access_key_id/aws_secret_access_key.")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }
}

extension CredentialsProviderChain {
    /// The usual order: environment, shared profile files, web identity, container, EC2 instance metadata,
    /// cached and refreshed before expiry.
    public static func `default`(environment: [String: String], httpClient: HTTPClient) -> CachingCredentialsProvider {
        CachingCredentialsProvider(
            CredentialsProviderChain([
                EnvironmentCredentialsProvider(environment: environment),
                ProfileCredentialsProvider(environment: environment, httpClient: httpClient),
                WebIdentityCredentialsProvider(environment: environment, httpClient: httpClient),
                ContainerCredentialsProvider(environment: environment, httpClient: httpClient),
                InstanceMetadataCredentialsProvider(environment: environment, httpClient: httpClient),
            ]))
    }
}
