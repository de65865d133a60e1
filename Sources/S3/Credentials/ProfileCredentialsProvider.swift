import AsyncHTTPClient
import Foundation
import Logging

/// Credentials from the shared files: `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE`,
/// `AWS_CONFIG_FILE`), profile `AWS_PROFILE` or `default`. A profile holds keys, or a role (`role_arn` with
/// `source_profile` or `credential_source`; see ``ProfilePlan``) that is assumed through STS, at
/// `AWS_ENDPOINT_URL_STS` when set, else the regional endpoint of the profile's `region`. Inside the default chain
/// the assumed credentials are cached and refreshed before they expire.
public struct ProfileCredentialsProvider: CredentialsProvider {
    public let profile: String
    let credentialsPath: String
    let configPath: String
    let environment: [String: String]
    let httpClient: HTTPClient?

    public init(environment: [String: String], profile: String? = nil, httpClient: HTTPClient? = nil) {
        let home = environment["HOME"].nonEmpty ?? NSHomeDirectory()
        self.profile = profile ?? environment["AWS_PROFILE"].nonEmpty ?? "default"
        self.credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"].nonEmpty ?? home + "/.aws/credentials"
        self.configPath = environment["AWS_CONFIG_FILE"].nonEmpty ?? home + "/.aws/config"
        self.environment = environment
        self.httpClient = httpClient
    }

    public var name: String { "profile \(profile)" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        let plan: ProfilePlan
        do {
            plan = try ProfilePlan.resolve(profile, in: try loadProfiles())
        } catch let error as S3Error where error.code == .credentialsNotFound {
            throw S3Error.credentialsNotFound("\(error.message) (read \(configPath) and \(credentialsPath))")
        }
        return try await provider(for: plan).credentials(logger: logger)
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

    /// The provider that carries out `plan`; a role's source that finds nothing is a configuration error, so the
    /// chain never falls through to other credentials.
    func provider(for plan: ProfilePlan) throws -> any CredentialsProvider {
        switch plan {
        case .keys(let keys):
            return StaticCredentialsProvider(keys)
        case .credentialSource(let source):
            guard let httpClient else { throw noHTTPClient }
            let base: any CredentialsProvider =
                switch source {
                case .environment: EnvironmentCredentialsProvider(environment: environment)
                case .ec2InstanceMetadata:
                    InstanceMetadataCredentialsProvider(environment: environment, httpClient: httpClient)
                case .ecsContainer: ContainerCredentialsProvider(environment: environment, httpClient: httpClient)
                }
            return RequiredSourceProvider(base: base, profile: profile, source: source.rawValue)
        case .assumeRole(let role, let source):
            guard let httpClient else { throw noHTTPClient }
            return AssumeRoleCredentialsProvider(
                roleARN: role.roleARN, externalID: role.externalID, sessionName: role.sessionName,
                durationSeconds: role.durationSeconds, base: try provider(for: source), httpClient: httpClient,
                stsEndpoint: environment["AWS_ENDPOINT_URL_STS"].nonEmpty, stsRegion: role.region)
        }
    }

    private var noHTTPClient: S3Error {
        S3Error(
            code: .invalidConfiguration,
            message: "Profile \"\(profile)\" assumes a role, but this provider was made without an HTTP client.")
    }
}

/// A `credential_source` that must yield credentials: finding none is a configuration error, not a reason to try
/// the next provider of the chain.
struct RequiredSourceProvider: CredentialsProvider {
    let base: any CredentialsProvider
    let profile: String
    let source: String
    var name: String { "credential_source \(source)" }

    func credentials(logger: Logger) async throws -> AWSCredentials {
        do {
            return try await base.credentials(logger: logger)
        } catch let error as S3Error where error.code == .credentialsNotFound {
            throw S3Error(
                code: .invalidConfiguration,
                message: "Profile \"\(profile)\" takes its credentials from credential_source = \(source), "
                    + "which found none: \(error.message)")
        }
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
