/// The catalog as the rest of Sluice sees it: sources and write keys, and the quarantine.
/// `SQLiteCatalog` is the embedded implementation.
public protocol CatalogStore: Sendable {
    /// Creates a source. `writeKey` nil → a new random 32-character key.
    func createSource(name: String, writeKey: String?, nowMilliseconds: Int64) async throws(CatalogError) -> Source
    func sources() async throws(CatalogError) -> [Source]
    /// The source a write key belongs to, or nil.
    func source(writeKey: String) async throws(CatalogError) -> Source?
    /// A source by id or by name, or nil.
    func source(idOrName: String) async throws(CatalogError) -> Source?
    /// Stores rejected events durably (synchronous commit) before the request is acknowledged.
    func quarantine(_ events: [QuarantinedEvent]) async throws(CatalogError)
    /// The newest quarantined events of a source, newest first.
    func quarantined(sourceID: String, limit: Int) async throws(CatalogError) -> [QuarantinedEvent]
}
