import Foundation
import SluiceTesting
import Testing

/// messageId de-duplication through the real binary: a repeat within the window is answered 200 and archived once,
/// within a request, across requests, across a graceful restart and across SIGKILL; events without a messageId are
/// never de-duplicated; `--dedupe-window off` archives repeats as before.
@Suite(.serialized) struct DedupeEndToEndTests {
    static func batch(_ ids: [String?], event: String = "Dedupe") -> String {
        let items = ids.map { id in
            let idMember = id.map { #","messageId":"\#($0)""# } ?? ""
            return #"{"type":"track","event":"\#(event)","userId":"u"\#(idMember)}"#
        }
        return #"{"batch":[\#(items.joined(separator: ","))]}"#
    }

    static func send(_ server: SluiceServerProcess, _ ids: [String?]) async throws {
        let reply = try await HTTP.post(
            server.url + "/v1/batch", json: batch(ids), headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.text == #"{"success":true}"#)
    }

    static func archivedCounts(_ server: SluiceServerProcess) throws -> [String: Int] {
        try server.flush()
        var counts: [String: Int] = [:]
        for id in try ArchiveSnapshot.read(server.bucket).messageIDs { counts[id, default: 0] += 1 }
        return counts
    }

    @Test func repeatsWithinAndAcrossRequestsAreArchivedOnce() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        try await Self.send(server, ["a", "b", "a", nil])
        try await Self.send(server, ["b", "c", nil])
        let single = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"c"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(single.status == 200)
        #expect(single.text == #"{"success":true}"#)
        let counts = try Self.archivedCounts(server)
        #expect(counts["a"] == 1)
        #expect(counts["b"] == 1)
        #expect(counts["c"] == 1)
        // The two events without a messageId got one each from Sluice and were both kept.
        #expect(counts.keys.filter { $0.hasPrefix("api-") }.count == 2)
        #expect(counts.values.reduce(0, +) == 5)
        let metrics = try await server.metrics()
        #expect(metrics.contains(#"sluice_duplicates_dropped_total{source="#))
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("sluice_duplicates_dropped_total{") }
        #expect(line?.hasSuffix(" 3") == true, "\(line ?? "no line")")
        let status = try await HTTP.request(
            "GET", server.url + "/admin/status", headers: [("Authorization", "Bearer \(try server.adminToken())")])
        #expect(status.json?["duplicatesDropped"] as? Int == 3)
    }

    @Test func repeatsAfterRestartAndSIGKILLAreArchivedOnce() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let first = (0..<200).map { "restart-\($0)" }
        try await Self.send(server, first)
        server.stop()
        try await server.restart()
        try await Self.send(server, first)

        // Acknowledged, then killed at once: the ids are in the spool and possibly not synced in the index.
        let killed = (0..<200).map { "killed-\($0)" }
        try await Self.send(server, killed)
        server.kill()
        try await server.restart()
        try await Self.send(server, killed + ["fresh"])

        // Stored (flush) and so possibly released from the spool, then killed: the index itself must know them.
        let stored = (0..<200).map { "stored-\($0)" }
        try await Self.send(server, stored)
        try server.flush()
        server.kill()
        try await server.restart()
        try await Self.send(server, stored + first + killed)

        let counts = try Self.archivedCounts(server)
        for id in first + killed + stored + ["fresh"] { #expect(counts[id] == 1, "\(id): \(counts[id] ?? 0)") }
        #expect(counts.count == 601)
    }

    /// The index lost after a SIGKILL (as a power loss could lose its unsynced pages): start-up rebuilds the ids of
    /// every record the spool retains, so repeats of acknowledged events are still dropped.
    @Test func idsOfSpooledRecordsAreRecoveredWithoutTheIndex() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let ids = (0..<300).map { "spooled-\($0)" }
        try await Self.send(server, ids)
        server.kill()
        try FileManager.default.removeItem(atPath: server.dataDirectory + "/dedupe")
        try await server.restart()
        try await Self.send(server, ids)
        let counts = try Self.archivedCounts(server)
        for id in ids { #expect(counts[id] == 1, "\(id): \(counts[id] ?? 0)") }
    }

    @Test func offArchivesRepeats() async throws {
        let server = try await SluiceServerProcess.start(arguments: ["--dedupe-window", "off"])
        defer { server.stop() }
        try await Self.send(server, ["x", "x"])
        try await Self.send(server, ["x"])
        let counts = try Self.archivedCounts(server)
        #expect(counts["x"] == 3)
    }

    @Test func badWindowIsAConfigurationError() throws {
        let directory = try TemporaryDirectory("sluice-dedupe-bad")
        defer { directory.remove() }
        let result = try runCommand(
            SluiceServerProcess.binaryPath,
            ["serve", "--data-dir", directory.path, "--port", "\(try FreePort.allocate())", "--dedupe-window", "1w"])
        #expect(result.status == 2)
        #expect(result.output.contains("dedupeWindow"))
    }
}
