/// The catalog as the ingest side of Sluice sees it: sources, their write keys, and the quarantine.
///
/// Implementations live in their own modules (`CatalogSQLite` for the embedded default); only `SluiceApp` picks
/// one, so nothing above this protocol knows which it has.
public protocol CatalogStore: Sendable {
    /// Creates a source with one write key. `writeKey` nil → a new random 32-character key.
    func createSource(name: String, writeKey: String?, nowMilliseconds: Int64) async throws(CatalogError) -> Source
    func sources() async throws(CatalogError) -> [Source]
    /// The source an active (unrevoked) write key belongs to, or nil.
    func source(writeKey: String) async throws(CatalogError) -> Source?
    /// A source by id or by name, or nil.
    func source(idOrName: String) async throws(CatalogError) -> Source?

    /// Every write key of a source, revoked ones included, oldest first.
    func writeKeys(sourceID: String) async throws(CatalogError) -> [WriteKey]
    /// Adds a write key to a source (a source may hold several, so keys can be rotated without a gap).
    /// `key` nil → a new random key. `.notFound` for an unknown source, `.duplicate` for a key already in use.
    func addWriteKey(sourceID: String, key: String?, nowMilliseconds: Int64) async throws(CatalogError) -> WriteKey
    /// Marks a write key revoked: it no longer authenticates. `.notFound` when no source has it.
    func revokeWriteKey(_ key: String, nowMilliseconds: Int64) async throws(CatalogError)

    /// Stores rejected events durably (synchronous commit) before the request is acknowledged.
    func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError)
    /// The newest quarantined events of a source, newest first.
    func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent]

    /// Releases the connection(s). The catalog must not be used afterwards.
    func close() async
}

/// Everything a catalog implementation provides: what `SluiceApp`'s factory returns.
public typealias SluiceCatalog = CatalogStore & DestinationCatalog & NodeRegistry
