/// Everything that can go wrong in the catalog, with a message that tells the user what to do.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    /// Extensible error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidName = Code("invalid_name")
        public static let invalidSourceID = Code("invalid_source_id")
        public static let invalidWriteKey = Code("invalid_write_key")
        public static let duplicate = Code("duplicate")
        public static let invalidPassword = Code("invalid_password")
        public static let notFound = Code("not_found")
        public static let storage = Code("storage")
        /// The database was created or migrated by a newer Sluice; this one refuses to touch it.
        public static let schemaTooNew = Code("schema_too_new")
        /// The catalog's location or connection settings are wrong (a bad URL, the wrong password, no server).
        public static let invalidConfiguration = Code("invalid_configuration")
        /// The database did not answer (down, restarting, unreachable): retry later.
        public static let unavailable = Code("unavailable")
        /// Another live node already uses this node id.
        public static let duplicateNode = Code("duplicate_node")
        /// A destination secret must be sealed or opened, and no secret key is configured.
        public static let secretKeyMissing = Code("secret_key_missing")
        /// A sealed destination secret does not open with the configured key.
        public static let secretKeyMismatch = Code("secret_key_mismatch")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(code): \(message) (\(underlying))" }
        return "\(code): \(message)"
    }
}
