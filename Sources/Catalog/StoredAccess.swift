/// A destination's access as both catalogs store it: the `access_kind`, `access_key_id`, `secret_access_key`,
/// `role_arn` and `external_id` columns. The secret column holds a sealed value for `keys` and a variable name for
/// `keys-env`; a plaintext secret never reaches it.
public struct StoredAccess: Sendable, Hashable {
    public var kind: String
    public var accessKeyID: String?
    public var secret: String?
    public var roleARN: String?
    public var externalID: String?

    public init(
        kind: String, accessKeyID: String? = nil, secret: String? = nil, roleARN: String? = nil,
        externalID: String? = nil
    ) {
        self.kind = kind
        self.accessKeyID = accessKeyID
        self.secret = secret
        self.roleARN = roleARN
        self.externalID = externalID
    }
}

extension DestinationAccess {
    /// The columns for this access, the secret sealed for `destinationID`.
    public func stored(destinationID: String, sealer: SecretSealer) throws(CatalogError) -> StoredAccess {
        switch self {
        case .defaultChain:
            return StoredAccess(kind: kind)
        case .staticKeys(let keyID, let secret):
            return StoredAccess(
                kind: kind, accessKeyID: keyID, secret: try sealer.seal(secret, context: destinationID))
        case .environmentKeys(let keyID, let variable):
            return StoredAccess(kind: kind, accessKeyID: keyID, secret: variable)
        case .assumeRole(let arn, let externalID):
            return StoredAccess(kind: kind, roleARN: arn, externalID: externalID)
        }
    }

    /// The access stored in `columns`, its secret opened; nil for a row missing a column its kind needs.
    public init?(stored columns: StoredAccess, destinationID: String, sealer: SecretSealer) throws(CatalogError) {
        switch columns.kind {
        case "keys":
            guard let keyID = columns.accessKeyID, let secret = columns.secret else { return nil }
            self = .staticKeys(accessKeyID: keyID, secretAccessKey: try sealer.open(secret, context: destinationID))
        case "keys-env":
            guard let keyID = columns.accessKeyID, let variable = columns.secret else { return nil }
            self = .environmentKeys(accessKeyID: keyID, secretVariable: variable)
        case "role":
            guard let arn = columns.roleARN else { return nil }
            self = .assumeRole(roleARN: arn, externalID: columns.externalID)
        default:
            self = .defaultChain
        }
    }
}
