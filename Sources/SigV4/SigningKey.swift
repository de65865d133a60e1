import Crypto

/// Stage 3 of SigV4: the key derived from the secret for one day, region and service, and the signature it makes.
public struct SigningKey: Sendable {
    let key: SymmetricKey

    public init(secretAccessKey: String, scope: CredentialScope) {
        var material = Self.mac(Array(("AWS4" + secretAccessKey).utf8), scope.dateStamp)
        material = Self.mac(material, scope.region)
        material = Self.mac(material, scope.service)
        material = Self.mac(material, "aws4_request")
        key = SymmetricKey(data: material)
    }

    /// The derived key in hex (for known-answer tests; it is as sensitive as the secret for one day).
    public var hex: String { key.withUnsafeBytes { Hex.encode($0) } }

    /// Stage 4: the hex HMAC-SHA256 of the string to sign.
    public func signature(for stringToSign: StringToSign) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.text.utf8), using: key))
    }

    private static func mac(_ key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }
}
