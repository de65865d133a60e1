import Foundation
import SluiceTesting
import Testing

/// `sluice quarantine replay` against the real server: as-is (still invalid: quarantined again with its reason,
/// the old rows removed), with a corrected `list --json` file (accepted and archived once, however often the file
/// is replayed), `--dry-run` and `--since`; bad input replays nothing.
@Suite(.serialized) struct QuarantineReplayTests {
    func quarantined(_ server: SluiceServerProcess) throws -> [[String: String]] {
        let listed = try server.cli(["quarantine", "list", "default", "--json"])
        return try listed.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
    }

    @Test func quarantinedEventsAreReplayedAsIsOrCorrectedAndNeverTwice() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let batch = #"""
            {"batch":[{"type":"track","event":"ok","userId":"u","messageId":"valid-1"},
            {"type":"track","userId":"u","messageId":"fixme-1"},
            {"type":"track","event":"e","messageId":"noone-1"}]}
            """#
        let sent = try await HTTP.post(server.url + "/v1/batch", json: batch, headers: [HTTP.basic(server.writeKey)])
        #expect(sent.status == 200 && sent.text.contains(#""accepted":1"#), "\(sent.text)")
        let before = try quarantined(server)
        #expect(before.map { $0["code"] } == ["missing_identity", "missing_event"], "\(before)")

        let dry = try server.cli(["quarantine", "replay", "default", "--dry-run", "--url", server.url])
        #expect(dry.status == 0 && dry.output.contains("2 event(s) of default would be replayed"), "\(dry.output)")
        let future = try server.cli(["quarantine", "replay", "default", "--dry-run", "--since", "2099-01-01"])
        #expect(future.output.contains("0 event(s)"), "\(future.output)")
        #expect(try quarantined(server) == before)

        // As-is: both are still invalid, so each is quarantined again (new row, current reason), the old rows go.
        let asIs = try server.cli(["quarantine", "replay", "default", "--since", "1h", "--url", server.url])
        #expect(asIs.status == 0, "\(asIs.output)")
        #expect(asIs.output.contains("0 accepted, 2 still invalid; 2 quarantine row(s) removed"), "\(asIs.output)")
        #expect(asIs.output.contains("missing_event"))
        let again = try quarantined(server)
        #expect(again.map { $0["code"] } == ["missing_identity", "missing_event"])
        #expect(Set(again.compactMap { $0["id"] }).isDisjoint(with: before.compactMap { $0["id"] }))

        // Corrected: the user adds the missing event name to one line of the exported file.
        var lines = try server.cli(["quarantine", "list", "default", "--json"]).output.split(separator: "\n")
            .map(String.init)
        let fix = try #require(lines.firstIndex { $0.contains("fixme-1") })
        lines[fix] = lines[fix].replacingOccurrences(of: #"\"userId\""#, with: #"\"event\":\"Fixed\",\"userId\""#)
        let file = server.dataDirectory + "/corrected.ndjson"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let corrected = try server.cli(["quarantine", "replay", "default", "--file", file, "--url", server.url])
        #expect(corrected.status == 0, "\(corrected.output)")
        #expect(
            corrected.output.contains("1 accepted, 1 still invalid; 2 quarantine row(s) removed"), "\(corrected.output)"
        )
        #expect(try quarantined(server).map { $0["code"] } == ["missing_identity"])

        let twice = try server.cli(["quarantine", "replay", "default", "--file", file, "--url", server.url])
        #expect(twice.status == 0 && twice.output.contains("replayed 0 event(s)"), "\(twice.output)")
        #expect(twice.output.contains("no longer quarantined"))
        try server.flush()
        let ids = try ArchiveSnapshot.read(server.bucket).messageIDs
        #expect(ids.sorted() == ["fixme-1", "valid-1"], "\(ids)")
        let fixed = try ArchiveSnapshot.read(server.bucket).events.first { $0["messageId"] as? String == "fixme-1" }
        #expect(fixed?["event"] as? String == "Fixed")
    }

    @Test func badInputReplaysNothing() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let sent = try await HTTP.post(
            server.url + "/v1/batch", json: #"{"batch":[{"type":"track","userId":"u","messageId":"q-1"}]}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(sent.status == 200)
        let before = try quarantined(server)
        #expect(before.count == 1)
        let broken = server.dataDirectory + "/broken.ndjson"
        try "{\"raw\":\"{}\",\"id\":\"1\"}\nnot json\n{\"raw\":\"{\\\"a\\\":\"}\n".write(
            toFile: broken, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--file", broken], "line 2: not a JSON object"),
            (["--file", broken], "line 3: \"raw\" is not valid JSON"),
            (["--since", "last tuesday"], "is not a time"),
            (["--url", "http://127.0.0.1:\(try FreePort.allocate())"], "cannot reach the server"),
            (["--file", server.dataDirectory + "/none.ndjson"], "cannot read"),
        ]
        for (arguments, message) in cases {
            let result = try server.cli(["quarantine", "replay", "default"] + arguments)
            #expect(result.status != 0 && result.output.contains(message), "\(arguments): \(result.output)")
        }
        let unknown = try server.cli(["quarantine", "replay", "nosuchsource", "--url", server.url])
        #expect(unknown.status != 0 && unknown.output.contains("no source 'nosuchsource'"))
        #expect(try quarantined(server) == before)
    }
}
