/// Per-source CORS allow-lists: which browser origins may send events with a source's write keys. A source without
/// a list follows the server's `http.cors.allowOrigins`.
public protocol SourceOriginsCatalog: Sendable {
    /// Every source's list, by source id (sources without one are absent). `["*"]` allows every origin.
    func sourceOrigins() async throws(CatalogError) -> [String: [String]]
    /// Replaces a source's list; nil removes it (the server's default applies again). `.notFound` for an unknown
    /// source. The origins are stored as given; the caller validates their shape.
    func setSourceOrigins(sourceID: String, origins: [String]?) async throws(CatalogError)
}
