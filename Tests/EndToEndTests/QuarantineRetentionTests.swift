import Foundation
import SluiceTesting
import Testing

/// `serve --quarantine-retention`: quarantined events received longer ago than the retention are removed; newer
/// ones stay; a value that is not days or hours stops `serve`.
@Suite(.serialized) struct QuarantineRetentionTests {
    @Test func eventsOlderThanTheRetentionAreRemovedAndNewerOnesStay() async throws {
        let directory = try TemporaryDirectory("quarantine-retention")
        defer { directory.remove() }
        let data = directory.path + "/data"
        let first = try await SluiceServerProcess.start(dataDirectory: data)
        let sent = try await HTTP.post(
            first.url + "/v1/batch",
            json:
                #"{"batch":[{"type":"track","userId":"u","messageId":"old-1"},{"type":"track","messageId":"new-1"}]}"#,
            headers: [HTTP.basic(first.writeKey)])
        #expect(sent.status == 200)
        first.stop()
        // One of the two was received two hours ago (the catalog is the data directory's SQLite file).
        let backdated = try runCommand(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                    + "c.execute(\"UPDATE quarantine SET received_at = received_at - 7200000 WHERE CAST(raw AS TEXT) LIKE '%old-1%'\"); "
                    + "c.commit()",
                data + "/catalog.sqlite",
            ])
        #expect(backdated.status == 0, "\(backdated.output)")

        let server = try await SluiceServerProcess.start(
            dataDirectory: data, arguments: ["--quarantine-retention", "1h"])
        defer { server.stop() }
        try await Poll.until("retention removes the old quarantined event") {
            let listed = try server.cli(["quarantine", "list", "default", "--json"]).output
            return !listed.contains("old-1")
        }
        #expect(try server.cli(["quarantine", "list", "default", "--json"]).output.contains("new-1"))
    }

    @Test(arguments: ["1", "30m", "0h", "x"])
    func aRetentionThatIsNotDaysOrHoursStopsServe(value: String) throws {
        let directory = try TemporaryDirectory("quarantine-retention-bad")
        defer { directory.remove() }
        let result = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", directory.path, "--quarantine-retention",
                value,
            ])
        #expect(result.status == 2 && result.output.contains("--quarantine-retention"), "\(result.output)")
    }
}
