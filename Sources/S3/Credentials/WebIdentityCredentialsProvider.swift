import AsyncHTTPClient
import Foundation
import Logging

/// STS AssumeRoleWithWebIdentity with a token file (EKS IRSA: `AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`).
/// The token file is re-read on every fetch because the platform rotates it.
public struct WebIdentityCredentialsProvider: CredentialsProvider {
    let roleARN: String?
    let tokenFile: String?
    let sessionName: String
    let sts: STSClient

    public init(
        roleARN: String?, tokenFile: String?, sessionName: String = "sluice", httpClient: HTTPClient,
        stsEndpoint: String? = nil, stsRegion: String? = nil
    ) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName
        self.sts = STSClient(httpClient: httpClient, endpoint: stsEndpoint, region: stsRegion)
    }

    /// Reads `AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_SESSION_NAME` and `AWS_REGION`.
    public init(environment: [String: String], httpClient: HTTPClient, stsEndpoint: String? = nil) {
        self.init(
            roleARN: environment["AWS_ROLE_ARN"].nonEmpty,
            tokenFile: environment["AWS_WEB_IDENTITY_TOKEN_FILE"].nonEmpty,
            sessionName: environment["AWS_ROLE_SESSION_NAME"].nonEmpty ?? "sluice", httpClient: httpClient,
            stsEndpoint: stsEndpoint, stsRegion: environment["AWS_REGION"].nonEmpty)
    }

    public var name: String { "web-identity" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        guard let roleARN, let tokenFile else {
            throw S3Error.credentialsNotFound("AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are not both set.")
        }
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
        } catch {
            throw S3Error(
                code: .fileError, message: "Cannot read the web identity token file \(tokenFile): \(error)",
                operation: "AssumeRoleWithWebIdentity", underlying: error)
        }
        let form = STSClient.webIdentityForm(roleARN: roleARN, sessionName: sessionName, token: token, duration: 3600)
        return try await sts.call(action: "AssumeRoleWithWebIdentity", form: form, credentials: nil, logger: logger)
    }
}
