import Catalog
import Hummingbird

/// `POST /console/api/sources/{id}/rename` and `POST /console/api/sources/{id}/delete`: renaming keeps the id, keys
/// and folders; deleting needs `{"confirm": NAME}` with the source's current name (the page asks for it), removes the
/// source with its keys, quarantine and destinations, and its keys stop authenticating here at once. Files already
/// staged or archived stay where they are.
extension ConsoleAPI {
    func registerSourceChanges(on group: RouterGroup<SluiceRequestContext>) {
        group.post("api/sources/:id/rename") { request, context in
            struct Rename: Decodable { let name: String }
            let rename = try await request.decode(as: Rename.self, context: context)
            let id = context.parameters.get("id") ?? ""
            return try await catalogAnswer {
                let source = try await existingSource(id)
                let renamed = try await catalog.renameSource(id: source.id, to: rename.name)
                // The directory caches sources by key: forget them so the next request reads the new name.
                sources.evict(writeKeys: try await catalog.writeKeys(sourceID: source.id).map(\.key))
                struct Renamed: Encodable { let id, name: String }
                return try Self.json(Renamed(id: renamed.id, name: renamed.name))
            }
        }
        group.post("api/sources/:id/delete") { request, context in
            struct Delete: Decodable { let confirm: String? }
            let delete = (try? await request.decode(as: Delete.self, context: context)) ?? Delete(confirm: nil)
            let id = context.parameters.get("id") ?? ""
            return try await catalogAnswer {
                let source = try await existingSource(id)
                guard delete.confirm == source.name else {
                    return JSONBody.errorResponse(
                        .badRequest, code: "confirmation_required",
                        message: "type the source's name (\(source.name)) to confirm deleting it")
                }
                let keys = try await catalog.writeKeys(sourceID: source.id).map(\.key)
                try await catalog.deleteSource(id: source.id)
                sources.evict(writeKeys: keys)
                return JSONBody.response(.ok, JSONBody.success)
            }
        }
    }

    func existingSource(_ idOrName: String) async throws(CatalogError) -> Source {
        guard let source = try await catalog.source(idOrName: idOrName) else {
            throw CatalogError(.notFound, "no source '\(idOrName.prefix(64))'")
        }
        return source
    }
}
