import AsyncHTTPClient
import Logging

/// STS AssumeRole with an optional ExternalId, signed with a base provider's credentials: how a destination
/// in the IAM-role model is reached (the customer's role trusts our principal with our external id).
/// Wrap it in `CachingCredentialsProvider` so it refreshes before expiry.
///
/// ```swift
/// let role = CachingCredentialsProvider(AssumeRoleCredentialsProvider(
///     roleARN: "arn:aws:iam::123456789012:role/sluice", externalID: workspaceID, sessionName: "sluice",
///     base: chain, httpClient: http))
/// ```
public struct AssumeRoleCredentialsProvider: CredentialsProvider {
    public let roleARN: String
    public let externalID: String?
    public let sessionName: String
    public let durationSeconds: Int
    let base: any CredentialsProvider
    let sts: STSClient

    public init(
        roleARN: String, externalID: String? = nil, sessionName: String = "sluice", durationSeconds: Int = 3600,
        base: any CredentialsProvider, httpClient: HTTPClient, stsEndpoint: String? = nil, stsRegion: String? = nil
    ) {
        self.roleARN = roleARN
        self.externalID = externalID
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.base = base
        self.sts = STSClient(httpClient: httpClient, endpoint: stsEndpoint, region: stsRegion)
    }

    public var name: String { "assume-role \(roleARN)" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        let baseCredentials = try await base.credentials(logger: logger)
        let form = STSClient.assumeRoleForm(
            roleARN: roleARN, sessionName: sessionName, externalID: externalID, duration: durationSeconds)
        return try await sts.call(action: "AssumeRole", form: form, credentials: baseCredentials, logger: logger)
    }
}
