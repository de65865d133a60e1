import Catalog

/// What a user sets on a destination (CLI flags, admin API JSON); nil leaves a setting as it is on update.
public struct DestinationSettings: Sendable, Hashable {
    public var bucket: String?
    public var encryption: DestinationEncryption?
    public var access: DestinationAccess?
    /// `""` clears the endpoint (back to AWS).
    public var endpoint: String?
    /// `""` clears the region (discovered again).
    public var region: String?

    public init(
        bucket: String? = nil, encryption: DestinationEncryption? = nil, access: DestinationAccess? = nil,
        endpoint: String? = nil, region: String? = nil
    ) {
        self.bucket = bucket
        self.encryption = encryption
        self.access = access
        self.endpoint = endpoint
        self.region = region
    }

    /// Parses `aes256` / `on`, `none` / `off`, or `kms:KEY-ID`.
    public static func encryption(_ text: String) throws(DeliveryError) -> DestinationEncryption {
        switch text.lowercased() {
        case "aes256", "on", "true": return .aes256
        case "none", "off", "false": return .bucketDefault
        default:
            guard text.lowercased().hasPrefix("kms:"), text.count > 4 else {
                throw DeliveryError(
                    .invalidSettings,
                    "SSE must be aes256 (on), none (off: the bucket's default encryption applies) or kms:KEY-ID")
            }
            return .kms(keyID: String(text.dropFirst(4)))
        }
    }

    /// `destination` with these settings applied and validated.
    func applied(to destination: Destination) throws(DeliveryError) -> Destination {
        var result = destination
        if let bucket { result.bucket = try BucketAddress.parse(bucket).description }
        if let encryption { result.encryption = encryption }
        if let access { result.access = access }
        if let endpoint { result.endpoint = endpoint.isEmpty ? nil : endpoint }
        if let region { result.region = region.isEmpty ? nil : region }
        try Self.validate(result)
        return result
    }

    static func validate(_ destination: Destination) throws(DeliveryError) {
        _ = try BucketAddress.parse(destination.bucket)
        if let endpoint = destination.endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            throw DeliveryError(
                .invalidSettings,
                "the endpoint must be an http:// or https:// URL, e.g. https://s3.eu-west-1.amazonaws.com")
        }
        if let region = destination.region,
            region.isEmpty || !region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
        {
            throw DeliveryError(.invalidSettings, "'\(region.prefix(40))' is not a region name such as eu-west-1")
        }
        switch destination.access {
        case .defaultChain: break
        case .staticKeys(let id, let secret):
            guard !id.isEmpty, !secret.isEmpty else {
                throw DeliveryError(
                    .invalidSettings, "static access needs both an access key id and a secret access key")
            }
        case .environmentKeys(let id, let variable):
            guard !id.isEmpty else { throw DeliveryError(.invalidSettings, "static access needs an access key id") }
            guard Self.isVariableName(variable) else {
                throw DeliveryError(
                    .invalidSettings,
                    "'\(variable.prefix(64))' is not an environment variable name (letters, digits and _, "
                        + "not starting with a digit)")
            }
        case .assumeRole(let arn, let externalID):
            guard arn.hasPrefix("arn:") && arn.contains(":role/") else {
                throw DeliveryError(
                    .invalidSettings, "'\(arn.prefix(100))' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
            }
            if let externalID, !(2...1224).contains(externalID.count) {
                throw DeliveryError(.invalidSettings, "an external id has 2 to 1224 characters")
            }
        }
        if case .kms(let key) = destination.encryption, key.isEmpty {
            throw DeliveryError(.invalidSettings, "give the KMS key id or ARN after kms:")
        }
    }

    /// A POSIX environment variable name: `[A-Za-z_][A-Za-z0-9_]*`, at most 255 characters.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 255,
            !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy { c in
            c == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        }
    }
}
