import Catalog
import SluiceServer

/// A per-source allow-list that cannot be stored.
public struct SourceOriginsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension SluiceApp {
    /// Stores a source's CORS allow-list after checking every entry is an origin as browsers send it
    /// (`https://shop.example.com`, `http://localhost:3000`) or `*` alone; nil removes the list. Returns what was
    /// stored (origins lowercased).
    ///
    /// ```swift
    /// try await SluiceApp.setSourceOrigins(["https://shop.example.com"], sourceID: id, in: catalog)
    /// ```
    public static func setSourceOrigins(_ origins: [String]?, sourceID: String, in catalog: any SluiceCatalog)
        async throws -> [String]?
    {
        guard let origins else {
            try await catalog.setSourceOrigins(sourceID: sourceID, origins: nil)
            return nil
        }
        guard !origins.isEmpty else {
            throw SourceOriginsError(message: "give at least one --allow-origin, --any, or --clear")
        }
        do {
            _ = try CORSPolicy(allowOrigins: origins)
        } catch {
            throw SourceOriginsError(message: error.message)
        }
        var stored: [String] = []
        for origin in origins.map({ $0.lowercased() }) where !stored.contains(origin) { stored.append(origin) }
        try await catalog.setSourceOrigins(sourceID: sourceID, origins: stored)
        return stored
    }
}
