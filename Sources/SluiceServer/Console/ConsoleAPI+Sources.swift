import Catalog
import Hummingbird

/// `GET|POST /console/api/sources`, `POST /console/api/sources/{id}/keys`: the sources page. Lists never hold a
/// write key; a new key is in the one answer that created it.
extension ConsoleAPI {
    struct SourceRow: Encodable {
        let id: String
        let name: String
        let createdAt: Int64
        let keyCount: Int
        /// Accepted on this node in the last 24 hours (the in-memory counts; a restart starts them again).
        let eventsLast24h: Int
    }

    struct NewKey: Encodable {
        let sourceId: String
        let name: String
        let writeKey: String
        let revokedKeys: Int
    }

    func registerSources(on group: RouterGroup<SluiceRequestContext>) {
        group.get("api/sources") { _, _ in
            try await catalogAnswer {
                var rows: [SourceRow] = []
                let totals = tap.counts.totals(at: now())
                for source in try await catalog.sources() {
                    let keys = try await catalog.writeKeys(sourceID: source.id).filter(\.isActive)
                    rows.append(
                        SourceRow(
                            id: source.id, name: source.name, createdAt: source.createdAtMilliseconds,
                            keyCount: keys.count, eventsLast24h: totals[source.id] ?? 0))
                }
                return try Self.json(rows)
            }
        }
        group.post("api/sources") { request, context in
            struct Create: Decodable { let name: String }
            let create = try await request.decode(as: Create.self, context: context)
            return try await catalogAnswer {
                let source = try await catalog.createSource(name: create.name, writeKey: nil, nowMilliseconds: now())
                sources.insert(source)
                return try Self.json(
                    NewKey(sourceId: source.id, name: source.name, writeKey: source.writeKey, revokedKeys: 0),
                    status: .created)
            }
        }
        // `{"rotate":true}` also revokes the source's other keys once the new one exists.
        group.post("api/sources/:id/keys") { request, context in
            struct Add: Decodable { let rotate: Bool? }
            let add = (try? await request.decode(as: Add.self, context: context)) ?? Add(rotate: false)
            let id = context.parameters.get("id") ?? ""
            return try await catalogAnswer {
                let source = try await existingSource(id)
                let key = try await catalog.addWriteKey(sourceID: source.id, key: nil, nowMilliseconds: now())
                var revoked: [String] = []
                if add.rotate == true {
                    for old in try await catalog.writeKeys(sourceID: source.id) where old.isActive && old.key != key.key
                    {
                        try await catalog.revokeWriteKey(old.key, nowMilliseconds: now())
                        revoked.append(old.key)
                    }
                    sources.evict(writeKeys: revoked)
                }
                return try Self.json(
                    NewKey(sourceId: source.id, name: source.name, writeKey: key.key, revokedKeys: revoked.count),
                    status: .created)
            }
        }
    }

    /// Runs `body`, answering a catalog error as `{"code","message"}` with a fitting status.
    func catalogAnswer(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as CatalogError {
            return AdminAPI.errorResponse(error)
        }
    }
}
