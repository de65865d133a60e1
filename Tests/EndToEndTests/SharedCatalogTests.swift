import Foundation
import SluiceTesting
import Testing

/// Several `sluice serve` nodes on one PostgreSQL catalog (`--catalog` / `SLUICE_CATALOG`), and the one-line exit 2
/// for a catalog that cannot be used.
@Suite(.serialized) struct SharedCatalogTests {
    @Test func aSourceCreatedThroughOneNodeAuthenticatesOnAnotherWithinTenSeconds() async throws {
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        try postgres.createDatabase("sluice")
        // The password through PGPASSWORD, the URL through SLUICE_CATALOG.
        let environment = [
            "SLUICE_CATALOG": postgres.url(database: "sluice", password: nil), "PGPASSWORD": PostgresServer.password,
        ]
        let a = try await SluiceServerProcess.start(arguments: ["--node-id", "a"], environment: environment)
        defer { a.stop() }
        let b = try await SluiceServerProcess.start(arguments: ["--node-id", "b"], environment: environment)
        defer { b.stop() }
        #expect(a.writeKey == b.writeKey, "both nodes serve the one 'default' source")
        #expect(
            !a.process.log().contains(PostgresServer.password) && !b.process.log().contains(PostgresServer.password))

        // A miss on node B first, so B has remembered the key as unknown before it exists.
        let early = try await HTTP.post(
            b.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#, headers: [HTTP.basic("shared-key-0123456789")])
        #expect(early.status == 401)
        let created = try a.cli(["sources", "create", "web", "--write-key", "shared-key-0123456789"])
        #expect(created.status == 0, "\(created.output)")
        let start = ContinuousClock.now
        try await Poll.until("node B accepts the new key", timeout: .seconds(10)) {
            let reply = try await HTTP.post(
                b.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"b-1"}"#,
                headers: [HTTP.basic("shared-key-0123456789")])
            return reply.status == 200
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        let listed = try b.cli(["sources", "list"])
        #expect(listed.output.contains("web") && listed.output.contains("default"))

        // The node registry: both nodes, from any node's CLI.
        let nodes = try a.cli(["nodes", "list", "--json"])
        let registered = try #require(
            try JSONSerialization.jsonObject(with: Data(nodes.output.utf8)) as? [[String: Any]])
        #expect(registered.compactMap { $0["id"] as? String } == ["a", "b"])
        #expect(registered.allSatisfy { ($0["address"] as? String)?.hasPrefix("127.0.0.1:") == true })
        // Another machine (another data directory) claiming a live node's id: one line, exit 2.
        let other = try TemporaryDirectory("sluice-duplicate-node")
        defer { other.remove() }
        let duplicate = try runCommand(
            SluiceServerProcess.binaryPath,
            ["serve", "--port", "\(try FreePort.allocate())", "--data-dir", other.path, "--node-id", "a"],
            environment: environment)
        #expect(duplicate.status == 2, "\(duplicate.output)")
        let lines = duplicate.output.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("node id 'a' is already used") == true, "\(duplicate.output)")
    }

    @Test func aCatalogThatCannotBeUsedIsOneLineAndExitCodeTwo() async throws {
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        try postgres.createDatabase("sluice")
        let data = try TemporaryDirectory("sluice-bad-catalog")
        defer { data.remove() }
        let binary = SluiceServerProcess.binaryPath
        let wrong = postgres.url(database: "sluice", password: "wrong-password-123")
        let unreachable = "postgres://u:p@127.0.0.1:\(try FreePort.allocate())/d?sslmode=disable"
        for (catalog, expected) in [
            (wrong, "refused the login"), (unreachable, "cannot reach PostgreSQL"),
            ("postgres://nobody-at-all", "not valid"),
        ] {
            for arguments in [["sources", "list"], ["serve", "--port", "\(try FreePort.allocate())"]] {
                let result = try runCommand(binary, arguments + ["--data-dir", data.path, "--catalog", catalog])
                #expect(result.status == 2, "\(arguments) \(catalog): \(result.output)")
                let lines = result.output.split(separator: "\n")
                #expect(lines.count == 1 && lines.first?.contains(expected) == true, "\(result.output)")
                #expect(!result.output.contains("wrong-password-123"))
            }
        }
    }
}
