import AsyncHTTPClient
import Foundation
import NIOCore

/// Talks to a running server's admin API (used by `sluice flush` and `sluice status`).
public struct AdminClient: Sendable {
    public let baseURL: String
    public let token: String

    public init(baseURL: String, token: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }

    /// Closes every open batch on the server and waits until they are stored; returns the server's JSON answer.
    public func flush() async throws -> String {
        try await post("/admin/flush")
    }

    /// The server's `/admin/status` JSON: health, backlog, unstored batches, the catalog, duplicates dropped.
    public func status() async throws -> String {
        try await send(post: false, "/admin/status")
    }

    func post(_ path: String) async throws -> String {
        try await send(post: true, path)
    }

    func send(post: Bool, _ path: String) async throws -> String {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = post ? .POST : .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .minutes(10))
        } catch {
            throw ConfigurationError(
                message: "cannot reach the server at \(baseURL): \(error); is `sluice serve` running there?")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let text = String(buffer: body)
        guard response.status == .ok else {
            throw ConfigurationError(message: "the server answered \(response.status.code): \(text)")
        }
        return text
    }
}
