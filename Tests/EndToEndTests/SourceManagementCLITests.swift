import Foundation
import SluiceTesting
import Testing

/// Day-two source management with the real binary against a running server: Segment ids kept, several write keys,
/// revocation, rename and delete; bad input gets one clear error and changes nothing.
@Suite(.serialized) struct SourceManagementCLITests {
    @Test func aSourceMovedFromSegmentKeepsItsIDAndKeyAndBadIDsAreRefused() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let created = try server.cli([
            "sources", "create", "web", "--id", "qwertyuiop", "--write-key", "segment-web-key-01", "--json",
        ])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains(#""id" : "qwertyuiop""#))

        let refusals: [([String], String)] = [
            (["--id", "qwerty-uio"], "not a Segment source id"),
            (["--id", "short"], "not a Segment source id"),
            (["--id", "../../etc22charsxxxxxxx"], "not a Segment source id"),
            (["--id", "qwertyuiop"], "a source with id 'qwertyuiop' already exists"),
            (["--id", "asdfghjkl0", "--write-key", "segment-web-key-01"], "write key is already in use"),
        ]
        for (flags, message) in refusals {
            let refused = try server.cli(["sources", "create", "other"] + flags)
            #expect(refused.status != 0, "\(flags) accepted: \(refused.output)")
            #expect(refused.output.contains(message), "\(flags): \(refused.output)")
        }
        let duplicateName = try server.cli(["sources", "create", "web", "--id", "asdfghjkl0"])
        #expect(duplicateName.status != 0 && duplicateName.output.contains("a source named 'web' already exists"))
        #expect(try sourceNames(server) == ["default", "web"])

        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"moved-1"}"#,
            headers: [HTTP.basic("segment-web-key-01")])
        #expect(reply.status == 200, "\(reply.text)")
        try server.flush()
        let files = try ArchiveSnapshot.read(server.bucket).events.filter { $0["messageId"] as? String == "moved-1" }
            .compactMap { $0["__file"] as? String }
        #expect(files.count == 1 && files[0].hasPrefix("segment-logs/qwertyuiop/"), "\(files)")
    }

    @Test func keysAreAddedListedAndRevokedAndARevokedKeyAnswers401() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "web", "--write-key", "old-key-000001"]).status == 0)
        let added = try server.cli(["sources", "keys", "add", "web", "--json"])
        #expect(added.status == 0, "\(added.output)")
        let newKey = try #require(try jsonObject(added.output)["key"] as? String)
        #expect(newKey.count == 32)
        #expect(try await track(server, key: "old-key-000001") == 200)
        #expect(try await track(server, key: newKey) == 200)

        let revoked = try server.cli(["sources", "keys", "revoke", "web", "old-key-000001"])
        #expect(revoked.status == 0, "\(revoked.output)")
        #expect(!revoked.output.contains("old-key-000001"))  // secrets stay off the terminal log
        try await Poll.until("the revoked key answers 401") { try await track(server, key: "old-key-000001") == 401 }
        let refused = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#, headers: [HTTP.basic("old-key-000001")])
        #expect(refused.text.contains("unknown_write_key"))
        #expect(try await track(server, key: newKey) == 200)

        for (arguments, message) in [
            (["web", "old-key-000001"], "already revoked"), (["web", "never-issued-key"], "has no such write key"),
            (["default", newKey], "has no such write key"), (["nosuchsource", newKey], "no source 'nosuchsource'"),
        ] {
            let bad = try server.cli(["sources", "keys", "revoke"] + arguments)
            #expect(bad.status != 0 && bad.output.contains(message), "\(arguments): \(bad.output)")
        }
        #expect(try await track(server, key: newKey) == 200)

        let listed = try server.cli(["sources", "keys", "list", "web", "--json"])
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(keys.map { $0["key"] as? String } == ["old-key-000001", newKey])
        #expect(keys.map { $0["active"] as? Bool } == [false, true])
        #expect(keys[0]["revokedAt"] is String && keys[1]["revokedAt"] == nil)
        let text = try server.cli(["sources", "keys", "list", "web"])
        #expect(text.output.contains("revoked 20") && text.output.contains("active"))
    }

    @Test func theAdminAPIRevokesAKeyOnThisNodeWithTheNextRequest() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try await track(server, key: server.writeKey) == 200)  // now cached
        let auth = ("Authorization", "Bearer \(try server.adminToken())")
        let reply = try await HTTP.post(
            server.url + "/admin/keys/revoke", json: #"{"key":"\#(server.writeKey)"}"#, headers: [auth])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(try await track(server, key: server.writeKey) == 401)
        let unknown = try await HTTP.post(
            server.url + "/admin/keys/revoke", json: #"{"key":"never-issued-key"}"#, headers: [auth])
        #expect(unknown.status == 404)
    }

    @Test func renameKeepsTheSourceAndRefusesATakenName() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "web", "--write-key", "web-key-000001"]).status == 0)
        let renamed = try server.cli(["sources", "rename", "web", "website"])
        #expect(renamed.status == 0 && renamed.output.contains("website"), "\(renamed.output)")
        for (name, message) in [("default", "a source named 'default' already exists"), ("bad/name", "not valid")] {
            let refused = try server.cli(["sources", "rename", "website", name])
            #expect(refused.status != 0 && refused.output.contains(message), "\(name): \(refused.output)")
        }
        let missing = try server.cli(["sources", "rename", "nosuchsource", "x"])
        #expect(missing.status != 0 && missing.output.contains("no source 'nosuchsource'"))
        #expect(try sourceNames(server) == ["default", "website"])
        #expect(try await track(server, key: "web-key-000001") == 200)
    }

    @Test func deleteIsRefusedWhileFilesAwaitCopyUnlessForcedAndTheKeysStopWorking() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "gone", "--write-key", "gone-key-000001"]).status == 0)
        // A destination nothing listens for (loopback discard port): the staged file stays owed.
        let destination = try server.cli([
            "destinations", "add", "gone", "gone-bucket", "--endpoint", "http://127.0.0.1:9", "--region", "us-east-1",
            "--no-validate",
        ])
        #expect(destination.status == 0, "\(destination.output)")
        #expect(try await track(server, key: "gone-key-000001") == 200)
        try server.flush()

        let refused = try server.cli(["sources", "delete", "gone"])
        #expect(refused.status != 0, "\(refused.output)")
        #expect(refused.output.contains("1 staged file(s)") && refused.output.contains("--force"), "\(refused.output)")
        #expect(try sourceNames(server) == ["default", "gone"])
        #expect(try await track(server, key: "gone-key-000001") == 200)

        let forced = try server.cli(["sources", "delete", "gone", "--force"])
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.output.contains("dropped: 1 staged file(s)"), "\(forced.output)")
        #expect(try sourceNames(server) == ["default"])
        #expect(!(try server.cli(["destinations", "list"]).output.contains("gone-bucket")))
        try await Poll.until("the deleted source's key answers 401") {
            try await track(server, key: "gone-key-000001") == 401
        }
        #expect(try await track(server, key: server.writeKey) == 200)
        let again = try server.cli(["sources", "delete", "gone"])
        #expect(again.status != 0 && again.output.contains("no source 'gone'"))
    }

    @Test func aSourceWithNothingOwedIsDeletedWithoutForce() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(try server.cli(["sources", "create", "idle"]).status == 0)
        let deleted = try server.cli(["sources", "delete", "idle"])
        #expect(deleted.status == 0 && !deleted.output.contains("dropped"), "\(deleted.output)")
        #expect(try sourceNames(server) == ["default"])
    }

    func track(_ server: SluiceServerProcess, key: String) async throws -> Int {
        try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#, headers: [HTTP.basic(key)]
        ).status
    }

    func sourceNames(_ server: SluiceServerProcess) throws -> [String] {
        let listed = try server.cli(["sources", "list", "--json"])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        return all.compactMap { $0["name"] as? String }.sorted()
    }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
