import Logging

/// Fixed credentials from configuration.
///
/// ```swift
/// let provider = StaticCredentialsProvider(AWSCredentials(accessKeyID: "AKIA...", secretAccessKey: secret))
/// ```
public struct StaticCredentialsProvider: CredentialsProvider {
    let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { value = credentials }
    public var name: String { "static" }
    public func credentials(logger: Logger) async throws -> AWSCredentials { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN` from an environment dictionary
/// that the caller passes in (the composition root reads the process environment once).
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    let environment: [String: String]
    public init(environment: [String: String]) { self.environment = environment }
    public var name: String { "environment" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"].nonEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"].nonEmpty
        else {
            throw S3Error.credentialsNotFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set.")
        }
        return AWSCredentials(
            accessKeyID: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"].nonEmpty)
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
