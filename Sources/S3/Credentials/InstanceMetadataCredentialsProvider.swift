import AsyncHTTPClient
import Logging

/// EC2 instance-profile credentials over IMDSv2: a session token from `PUT /latest/api/token`, then the role
/// name and its credentials. Off EC2 the endpoint does not answer within a short timeout and the provider
/// reports `.credentialsNotFound`.
public struct InstanceMetadataCredentialsProvider: CredentialsProvider {
    let endpoint: String
    let disabled: Bool
    let httpClient: HTTPClient

    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides the endpoint; `AWS_EC2_METADATA_DISABLED=true` disables it.
    public init(environment: [String: String] = [:], httpClient: HTTPClient, endpoint: String? = nil) {
        var base = endpoint ?? environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].nonEmpty ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        self.disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.httpClient = httpClient
    }

    public var name: String { "instance-metadata" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        guard !disabled else { throw S3Error.credentialsNotFound("AWS_EC2_METADATA_DISABLED is true.") }
        var tokenRequest = HTTPClientRequest(url: endpoint + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "X-aws-ec2-metadata-token-ttl-seconds", value: "21600")
        let token = String(
            decoding: try await MetadataHTTP.get(tokenRequest, httpClient: httpClient, source: "IMDS", logger: logger),
            as: UTF8.self)
        let rolesPath = endpoint + "/latest/meta-data/iam/security-credentials/"
        var roleRequest = HTTPClientRequest(url: rolesPath)
        roleRequest.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        let roles = String(
            decoding: try await MetadataHTTP.get(roleRequest, httpClient: httpClient, source: "IMDS", logger: logger),
            as: UTF8.self)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw S3Error.credentialsNotFound("The instance has no IAM role attached.")
        }
        var credentialsRequest = HTTPClientRequest(url: rolesPath + role)
        credentialsRequest.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        let body = try await MetadataHTTP.get(
            credentialsRequest, httpClient: httpClient, source: "IMDS", logger: logger)
        return try MetadataHTTP.decodeCredentials(body, source: "IMDS")
    }
}
