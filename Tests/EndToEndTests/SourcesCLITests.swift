import Foundation
import SluiceTesting
import Testing

/// Sources created with the CLI while the server runs take traffic at once, each under its own folder.
@Suite(.serialized) struct SourcesCLITests {
    @Test func aSourceCreatedWhileServingIsUsableAndArchivedSeparately() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let created = try server.cli(["sources", "create", "web", "--write-key", "web-key-0123456789", "--json"])
        #expect(created.status == 0, "\(created.output)")
        let source = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])
        let id = try #require(source["id"] as? String)
        #expect(source["writeKey"] as? String == "web-key-0123456789")

        let duplicate = try server.cli(["sources", "create", "web"])
        #expect(duplicate.status != 0)
        #expect(duplicate.output.contains("already exists"))

        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"web-1"}"#,
            headers: [HTTP.basic("web-key-0123456789")])
        #expect(reply.status == 200, "\(reply.text)")
        let other = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"default-1"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(other.status == 200)
        try server.flush()
        let archive = try ArchiveSnapshot.read(server.bucket)
        let folders = Dictionary(
            uniqueKeysWithValues: archive.events.compactMap { event -> (String, String)? in
                guard let id = event["messageId"] as? String, let file = event["__file"] as? String else { return nil }
                return (id, String(file.split(separator: "/")[1]))
            })
        #expect(folders["web-1"] == id)
        #expect(folders["default-1"] != id && folders["default-1"] != nil)
        let listed = try server.cli(["sources", "list"])
        #expect(listed.output.contains("web") && listed.output.contains("default"))
    }
}
