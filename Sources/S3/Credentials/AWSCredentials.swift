import Foundation
import Logging
import SigV4

/// An access key pair with an optional session token and expiry, as a credentials provider returns it.
/// `description` never shows the secret or the token.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var signing: SigV4Credentials {
        SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secret: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>")
            + (expiration.map { ", expiration: \($0)" } ?? "") + ")"
    }
}

/// A source of AWS credentials. Implementations fetch; `CachingCredentialsProvider` caches and refreshes.
///
/// A provider that has nothing to offer (no variables set, no file, not on EC2) throws `S3Error` with code
/// `.credentialsNotFound`, which lets a `CredentialsProviderChain` move on to the next one.
public protocol CredentialsProvider: Sendable {
    /// Returns credentials, fetching them if needed.
    func credentials(logger: Logger) async throws -> AWSCredentials
    /// A short name for logs (`environment`, `profile default`, `assume-role arn:...`).
    var name: String { get }
}

extension S3Error {
    static func credentialsNotFound(_ message: String) -> S3Error {
        S3Error(code: .credentialsNotFound, message: message, operation: "LoadCredentials")
    }
}
