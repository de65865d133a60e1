import Foundation
import SluiceTesting
import Testing

/// `sluice status` against a running server: health, backlog, and the repeats de-duplication dropped, per source.
@Suite struct StatusCommandTests {
    @Test func statusShowsHealthAndTheDuplicatesDroppedPerSource() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let event = #"{"event":"e","userId":"u","messageId":"status-repeat-1"}"#
        for _ in 0..<3 {
            let reply = try await HTTP.post(
                server.url + "/v1/track", json: event, headers: [HTTP.basic(server.writeKey)])
            #expect(reply.status == 200)
        }
        let shown = try server.cli(["status", "--url", server.url])
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("status: ok"), "\(shown.output)")
        #expect(shown.output.contains("duplicates dropped: 2"), "\(shown.output)")
        let sources = try server.cli(["sources", "list", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(sources.output.utf8)) as? [[String: Any]])
        let id = try #require(list.first?["id"] as? String)
        #expect(shown.output.contains("  \(id): 2"), "\(shown.output)")

        let json = try server.cli(["status", "--url", server.url, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["duplicatesDropped"] as? Int == 2)

        let wrong = try server.cli(["status", "--url", server.url, "--token", "not-the-token"])
        #expect(wrong.status != 0 && wrong.output.contains("401"), "\(wrong.output)")
    }
}
