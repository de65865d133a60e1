import Delivery
import Hummingbird

/// `POST /console/api/destinations` (add), `POST /console/api/destinations/{id}/edit` and `.../remove`: the same
/// registry calls as `POST|PATCH|DELETE /admin/destinations`, so adding and editing make the validation write first
/// and its error comes back as `{"code","message"}` for the page to show. Removing needs `{"confirm": BUCKET}`.
/// Secrets go in and never come out: answers are statuses, which leave them out.
extension ConsoleAPI {
    func registerDestinationChanges(on group: RouterGroup<SluiceRequestContext>, delivery: ConsoleDelivery) {
        let registry = delivery.registry
        let admin = DestinationsAPI(token: adminToken, registry: registry, runner: delivery.runner, catalog: catalog)
        group.post("api/destinations") { request, context in
            let body = try await request.decode(as: DestinationsAPI.Body.self, context: context)
            if let refusal = Self.incompleteAccess(body) { return refusal }
            guard let name = body.source, let source = try await catalog.source(idOrName: name) else {
                return JSONBody.errorResponse(
                    .badRequest, code: "invalid_settings", message: "pick an existing source for the destination")
            }
            return try await DestinationsAPI.answer(.created) { () throws(DeliveryError) in
                try await admin.status(
                    registry.add(sourceID: source.id, settings: try body.settings(), validate: body.validate ?? true).id)
            }
        }
        group.post("api/destinations/:id/edit") { request, context in
            let body = try await request.decode(as: DestinationsAPI.Body.self, context: context)
            if let refusal = Self.incompleteAccess(body) { return refusal }
            let id = context.parameters.get("id") ?? ""
            return try await DestinationsAPI.answer { () throws(DeliveryError) in
                try await admin.status(
                    registry.update(id: id, settings: try body.settings(), validate: body.validate ?? true).id)
            }
        }
        group.post("api/destinations/:id/remove") { request, context in
            struct Remove: Decodable { let confirm: String? }
            let remove = (try? await request.decode(as: Remove.self, context: context)) ?? Remove(confirm: nil)
            let id = context.parameters.get("id") ?? ""
            return try await DestinationsAPI.answer { () throws(DeliveryError) in
                guard let found = try await registry.statuses().first(where: { $0.destination.id == id }) else {
                    throw DeliveryError(.notFound, "no destination with id '\(id.prefix(64))'")
                }
                guard remove.confirm == found.destination.bucket else {
                    throw DeliveryError(
                        .invalidSettings,
                        "type the destination's bucket (\(found.destination.bucket)) to confirm removing it")
                }
                try await registry.remove(id: id)
                return #"{"success":true}"#
            }
        }
    }

    /// An access key id without its secret (or the reverse) would store a destination that cannot sign: refused
    /// here, where a form left one field empty, rather than stored and failing at the next copy.
    static func incompleteAccess(_ body: DestinationsAPI.Body) -> Response? {
        let hasSecret = body.secretAccessKey?.isEmpty == false || body.secretAccessKeyEnv?.isEmpty == false
        let hasKeyID = body.accessKeyId?.isEmpty == false
        guard hasSecret != hasKeyID else { return nil }
        return JSONBody.errorResponse(
            .badRequest, code: "invalid_settings",
            message: hasKeyID
                ? "give the secret access key (or the variable holding it) with the access key id"
                : "give the access key id with the secret access key")
    }
}
