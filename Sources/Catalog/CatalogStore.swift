/// The catalog as the ingest side of Sluice sees it: sources, their write keys, and the quarantine.
///
/// Implementations live in their own modules (`CatalogSQLite` for the embedded default); only `SluiceApp` picks
/// one, so nothing above this protocol knows which it has.
public protocol CatalogStore: Sendable {
    /// Creates a source with one write key. `id` nil → a new random 22-character id (a given id must have one of
    /// Segment's shapes, `Identifiers.validateSegmentSourceID`, so a source moved from Segment keeps its folders);
    /// `writeKey` nil → a new random 32-character key. `.duplicate` when the id, the name or the key is taken;
    /// a refused source leaves nothing behind.
    func createSource(id: String?, name: String, writeKey: String?, nowMilliseconds: Int64) async throws(CatalogError)
        -> Source
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

    /// Gives a source a new name (its id, keys and folders stay). `.notFound` for an unknown id, `.duplicate` when
    /// another source has the name.
    func renameSource(id: String, to name: String) async throws(CatalogError) -> Source
    /// Removes a source with its write keys, quarantine and destinations (their ledgers with them), in one
    /// transaction. Files already staged or archived stay where they are. `.notFound` for an unknown id.
    func deleteSource(id: String) async throws(CatalogError)

    /// Stores rejected events durably (synchronous commit) before the request is acknowledged.
    func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError)
    /// The newest quarantined events of a source, newest first.
    func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent]

    /// Releases the connection(s). The catalog must not be used afterwards.
    func close() async
}

extension CatalogStore {
    /// Creates a source with a new random id.
    public func createSource(name: String, writeKey: String?, nowMilliseconds: Int64) async throws(CatalogError)
        -> Source
    {
        try await createSource(id: nil, name: name, writeKey: writeKey, nowMilliseconds: nowMilliseconds)
    }

    /// The `.duplicate` error for a refused `createSource`, naming what is taken (checked after the refusal, so a
    /// concurrent create may leave only the general message).
    public func duplicateSourceError(id: String?, name: String, writeKey: String?) async -> CatalogError {
        if let id, let taken = try? await source(idOrName: id), taken.id == id {
            return CatalogError(.duplicate, "a source with id '\(id)' already exists (named '\(taken.name)')")
        }
        if let taken = try? await source(idOrName: name), taken.name == name {
            return CatalogError(.duplicate, "a source named '\(name)' already exists; pick another name")
        }
        if writeKey != nil {
            return CatalogError(.duplicate, "that write key is already in use by another source; pick another key")
        }
        return CatalogError(.duplicate, "a source with that id, name or write key already exists")
    }
}

/// Everything a catalog implementation provides: what `SluiceApp`'s factory returns.
public typealias SluiceCatalog = CatalogStore & DestinationCatalog & NodeRegistry & StagedFileLedger & CopyWorkQueue
    & SourceOriginsCatalog & QuarantineAdmin & ConsoleUserStore
