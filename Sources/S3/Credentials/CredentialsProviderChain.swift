import Logging

/// Tries providers in order and returns the first credentials found. A provider that throws
/// `.credentialsNotFound` is skipped; any other error (a malformed file, STS refusing AssumeRole) stops the chain,
/// because silently falling through to other credentials would hide a misconfiguration.
///
/// ```swift
/// let chain = CredentialsProviderChain.default(environment: env, httpClient: client)
/// ```
public struct CredentialsProviderChain: CredentialsProvider {
    public let providers: [any CredentialsProvider]
    public init(_ providers: [any CredentialsProvider]) { self.providers = providers }
    public var name: String { "chain(" + providers.map(\.name).joined(separator: ", ") + ")" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        var skipped: [String] = []
        for provider in providers {
            do {
                let credentials = try await provider.credentials(logger: logger)
                logger.debug("credentials found", metadata: ["s3.credentials.provider": "\(provider.name)"])
                return credentials
            } catch let error as S3Error where error.code == .credentialsNotFound {
                skipped.append("\(provider.name): \(error.message)")
            }
        }
        throw S3Error.credentialsNotFound(
            "No AWS credentials found. Tried " + skipped.joined(separator: "; "))
    }
}
