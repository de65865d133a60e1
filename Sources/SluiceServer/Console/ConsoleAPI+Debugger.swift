import Catalog
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /console/api/sources/{id}/events` (Server-Sent Events: the live debugger) and
/// `GET /console/api/sources/{id}/quarantine` (its quarantine tab).
extension ConsoleAPI {
    /// Seconds between keep-alive comments: how soon a closed browser tab is noticed and unsubscribed.
    static let tickSeconds = 15

    func registerDebugger(on group: RouterGroup<SluiceRequestContext>) {
        group.get("api/sources/:id/events") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let source = try await catalog.source(idOrName: id) else {
                return JSONBody.errorResponse(.notFound, code: "not_found", message: "no source '\(id.prefix(64))'")
            }
            let query = request.uri.queryParameters
            let filter = DebuggerFilter(
                type: query.get("type"), event: query.get("event"), userId: query.get("userId"),
                messageId: query.get("messageId"))
            let subscription = tap.subscribe(sourceID: source.id, filter: filter)
            let headers: HTTPFields = [
                .contentType: "text/event-stream", .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
            ]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    defer { subscription.finish() }
                    try await withGracefulShutdownHandler {
                        try await Self.stream(subscription, to: &writer)
                    } onGracefulShutdown: {
                        subscription.finish()
                    }
                    try await writer.finish(nil)
                })
        }
        group.get("api/sources/:id/quarantine") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await catalogAnswer {
                guard let source = try await catalog.source(idOrName: id) else {
                    throw CatalogError(.notFound, "no source '\(id.prefix(64))'")
                }
                let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 1_000)
                return try Self.json(
                    try await catalog.quarantined(sourceID: source.id, limit: limit).map(QuarantineView.init))
            }
        }
    }

    /// Writes `retry`, then each event as `data:` (a skipped count first as `event: skipped`), and a comment on
    /// each tick, until the subscription finishes or a write fails (the browser went away).
    static func stream(_ subscription: EventTap.Subscription, to writer: inout any ResponseBodyWriter) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(tickSeconds))
                    subscription.tick()
                }
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            for await item in subscription.events {
                var frame = ByteBuffer()
                let skipped = subscription.takeSkipped()
                if skipped > 0 { frame.writeString("event: skipped\ndata: \(skipped)\n\n") }
                switch item {
                case .event(let line):
                    frame.writeString("data: ")
                    frame.writeBytes(line)
                    frame.writeString("\n\n")
                case .tick:
                    frame.writeString(": tick\n\n")
                }
                try await writer.write(frame)
            }
            group.cancelAll()
        }
    }
}
