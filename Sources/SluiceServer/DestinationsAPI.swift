import Catalog
import Delivery
import Foundation
import Hummingbird
import NIOCore

/// Admin routes for destinations and the copy job (bearer token, like the rest of `/admin/`):
/// `GET|POST /admin/destinations`, `PATCH|DELETE /admin/destinations/{id}`,
/// `POST /admin/destinations/{id}/enable|disable`, `POST /admin/copy` (a run now).
public struct DestinationsAPI: Sendable {
    let token: String
    let registry: DestinationRegistry
    let runner: CopyRunner
    let catalog: any CatalogStore

    public init(token: String, registry: DestinationRegistry, runner: CopyRunner, catalog: any CatalogStore) {
        self.token = token
        self.registry = registry
        self.runner = runner
        self.catalog = catalog
    }

    /// The JSON a destination is added or changed with (every field optional on PATCH).
    struct Body: Decodable {
        var source: String?
        var bucket: String?
        var sse: String?
        var accessKeyId: String?
        var secretAccessKey: String?
        /// Instead of `secretAccessKey`: the environment variable each node reads the secret from.
        var secretAccessKeyEnv: String?
        var roleArn: String?
        var externalId: String?
        var endpoint: String?
        var region: String?
        var validate: Bool?

        func settings() throws(DeliveryError) -> DestinationSettings {
            var settings = DestinationSettings(bucket: bucket, endpoint: endpoint, region: region)
            if let sse { settings.encryption = try DestinationSettings.encryption(sse) }
            if let roleArn {
                settings.access = .assumeRole(roleARN: roleArn, externalID: externalId)
            } else if let accessKeyId, let secretAccessKeyEnv {
                guard secretAccessKey == nil else {
                    throw DeliveryError(.invalidSettings, "give secretAccessKey or secretAccessKeyEnv, not both")
                }
                settings.access = .environmentKeys(accessKeyID: accessKeyId, secretVariable: secretAccessKeyEnv)
            } else if let accessKeyId {
                settings.access = .staticKeys(accessKeyID: accessKeyId, secretAccessKey: secretAccessKey ?? "")
            }
            return settings
        }
    }

    public func register(on router: Router<SluiceRequestContext>) {
        let admin = router.group("admin").add(middleware: AdminTokenMiddleware(token: token))
        admin.get("destinations") { _, _ in
            try await Self.answer { () throws(DeliveryError) in DestinationStatus.json(try await registry.statuses()) }
        }
        admin.post("destinations") { request, context in
            let body = try await request.decode(as: Body.self, context: context)
            guard let name = body.source, let source = try await catalog.source(idOrName: name) else {
                return JSONBody.errorResponse(
                    .badRequest, code: "invalid_settings", message: "give \"source\": an existing source's id or name")
            }
            return try await Self.answer(.created) { () throws(DeliveryError) in
                try await status(
                    registry.add(sourceID: source.id, settings: try body.settings(), validate: body.validate ?? true).id
                )
            }
        }
        admin.patch("destinations/:id") { request, context in
            let body = try await request.decode(as: Body.self, context: context)
            let id = context.parameters.get("id") ?? ""
            return try await Self.answer { () throws(DeliveryError) in
                try await status(
                    registry.update(id: id, settings: try body.settings(), validate: body.validate ?? true).id)
            }
        }
        for (action, enabled) in [("enable", true), ("disable", false)] {
            admin.post("destinations/:id/\(action)") { _, context in
                let id = context.parameters.get("id") ?? ""
                return try await Self.answer { () throws(DeliveryError) in
                    try await status(registry.setEnabled(id: id, enabled).id)
                }
            }
        }
        admin.delete("destinations/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            return try await Self.answer { () throws(DeliveryError) in
                try await registry.remove(id: id)
                return #"{"success":true}"#
            }
        }
        admin.post("copy") { _, _ in
            try await Self.answer { () throws(DeliveryError) in
                try await Self.copyReport(runner.run())
            }
        }
    }

    func status(_ id: String) async throws(DeliveryError) -> String {
        guard let status = try await registry.statuses().first(where: { $0.destination.id == id }) else {
            throw DeliveryError(.notFound, "no destination with id '\(id.prefix(64))'; see `sluice destinations list`")
        }
        return status.json
    }

    /// Runs `body` and answers its JSON, or the error as `{"code","message"}` with a fitting status.
    static func answer(
        _ status: HTTPResponse.Status = .ok, _ body: () async throws(DeliveryError) -> String
    ) async throws -> Response {
        do {
            return JSONBody.response(status, ByteBuffer(string: try await body()))
        } catch {
            let http: HTTPResponse.Status
            switch error.code {
            case .invalidSettings, .invalidPolicy: http = .badRequest
            case .notFound: http = .notFound
            case .accessDenied, .credentials, .noSuchBucket: http = .unprocessableContent
            case .catalog where (error.underlying as? CatalogError)?.code == .duplicate: http = .conflict
            case .catalog where (error.underlying as? CatalogError)?.code == .notFound: http = .notFound
            case .catalog, .staging: http = .internalServerError
            default: http = .badGateway
            }
            return JSONBody.errorResponse(http, code: error.code.rawValue, message: error.message)
        }
    }

    /// A copy run's answer: `{"delivered":N,"failed":[{"destination","error"}]}` (the admin API and the console).
    static func copyReport(_ report: CopyRunReport) -> String {
        let failed = report.failed.map {
            "{\"destination\":\(JSONBody.quoted($0.destinationID)),\"error\":\(JSONBody.quoted($0.error?.message ?? ""))}"
        }
        return #"{"delivered":\#(report.deliveredFiles),"failed":[\#(failed.joined(separator: ","))]}"#
    }
}
