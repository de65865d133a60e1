/// A customer bucket that receives a source's batches: `s3://{bucket}/{prefix}/segment-logs/{source}/{day}/{file}`.
///
/// The catalog stores destinations as given; `Delivery.DestinationSettings` validates them before they get here.
public struct Destination: Sendable, Hashable {
    /// Generated id (22 base62 characters).
    public let id: String
    /// The source whose batches this destination receives.
    public let sourceID: String
    /// The bucket string as Segment takes it: `mybucket` or `mybucket/path/prefix`.
    public var bucket: String
    public var encryption: DestinationEncryption
    public var access: DestinationAccess
    /// An S3-compatible endpoint or a VPC endpoint (`https://bucket.vpce-….s3.eu-west-1.vpce.amazonaws.com`);
    /// nil means AWS.
    public var endpoint: String?
    /// The bucket's region; nil means discovered.
    public var region: String?
    public var enabled: Bool
    public let createdAtMilliseconds: Int64
    public var updatedAtMilliseconds: Int64

    public init(
        id: String, sourceID: String, bucket: String, encryption: DestinationEncryption = .aes256,
        access: DestinationAccess = .defaultChain, endpoint: String? = nil, region: String? = nil,
        enabled: Bool = true, createdAtMilliseconds: Int64, updatedAtMilliseconds: Int64? = nil
    ) {
        self.id = id
        self.sourceID = sourceID
        self.bucket = bucket
        self.encryption = encryption
        self.access = access
        self.endpoint = endpoint
        self.region = region
        self.enabled = enabled
        self.createdAtMilliseconds = createdAtMilliseconds
        self.updatedAtMilliseconds = updatedAtMilliseconds ?? createdAtMilliseconds
    }
}

/// Server-side encryption a destination asks for on every upload.
public enum DestinationEncryption: Sendable, Hashable {
    /// `x-amz-server-side-encryption: AES256` (SSE-S3), the default, as Segment's.
    case aes256
    /// No header: the bucket's default encryption applies (for example SSE-KMS with a customer key).
    case bucketDefault
    /// `aws:kms` with this key id or ARN.
    case kms(keyID: String)

    /// The stored form: `AES256`, `none`, or `aws:kms:{key}`.
    public var storedValue: String {
        switch self {
        case .aes256: return "AES256"
        case .bucketDefault: return "none"
        case .kms(let keyID): return "aws:kms:" + keyID
        }
    }

    /// Parses `storedValue`; nil for anything else.
    public init?(storedValue: String) {
        switch storedValue {
        case "AES256": self = .aes256
        case "none": self = .bucketDefault
        default:
            guard storedValue.hasPrefix("aws:kms:"), storedValue.count > 8 else { return nil }
            self = .kms(keyID: String(storedValue.dropFirst(8)))
        }
    }
}

/// How Sluice authenticates to a destination's bucket.
public enum DestinationAccess: Sendable, Hashable {
    /// The process's default AWS credentials chain (environment, profile, container or instance role): the
    /// bucket-policy kind, where the customer grants Sluice's own principal `s3:PutObject` on `segment-logs/*`.
    case defaultChain
    /// Fixed keys for this destination. The secret is never logged or listed, and the catalog stores it sealed
    /// (`SecretSealer`).
    case staticKeys(accessKeyID: String, secretAccessKey: String)
    /// Fixed keys whose secret stays in an environment variable of each node: the catalog holds only the
    /// variable's name, and a node reads the secret from its own environment when it connects to the bucket.
    case environmentKeys(accessKeyID: String, secretVariable: String)
    /// The IAM-role kind: Sluice's principal assumes the customer's role, proving the external id.
    case assumeRole(roleARN: String, externalID: String?)

    /// `default`, `keys` or `role`.
    public var kind: String {
        switch self {
        case .defaultChain: return "default"
        case .staticKeys: return "keys"
        case .environmentKeys: return "keys-env"
        case .assumeRole: return "role"
        }
    }

    /// A form safe to print and log: secrets replaced.
    public var redacted: String {
        switch self {
        case .defaultChain: return "default credentials chain"
        case .staticKeys(let keyID, _): return "static keys \(keyID) (secret hidden)"
        case .environmentKeys(let keyID, let variable): return "static keys \(keyID) (secret from $\(variable))"
        case .assumeRole(let arn, let externalID):
            return "role \(arn)" + (externalID == nil ? "" : " (external id set)")
        }
    }
}
