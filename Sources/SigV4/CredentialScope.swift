/// `20150830/us-east-1/service/aws4_request`: the date, region and service a signature is valid for.
public struct CredentialScope: Sendable, Hashable, CustomStringConvertible {
    public let dateStamp: String
    public let region: String
    public let service: String

    public init(timestamp: SigV4Timestamp, region: String, service: String) {
        dateStamp = timestamp.dateStamp
        self.region = region
        self.service = service
    }

    public var description: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
}

/// Stage 2 of SigV4: the string to sign.
public struct StringToSign: Sendable, Hashable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public let text: String

    public init(timestamp: SigV4Timestamp, scope: CredentialScope, canonicalRequest: CanonicalRequest) {
        text = [Self.algorithm, timestamp.amzDate, scope.description, canonicalRequest.digest]
            .joined(separator: "\n")
    }
}
