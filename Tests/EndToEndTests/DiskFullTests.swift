import Foundation
import SluiceTesting
import Testing

/// The real binary on a 20 MB tmpfs: filling it gets 503s (never a lost event), `/health` and `/admin/status` say
/// so, `sluice flush` fails while nothing can be written, and once the file system grows everything resumes by
/// itself, with every acknowledged event archived exactly once. Needs root (it mounts the tmpfs), as CI has.
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
final class DiskFullTests {
    let mountPoint: String

    init() throws {
        mountPoint = try TemporaryDirectory("sluice-diskfull").path
        let mounted = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=20m", "tmpfs", mountPoint])
        guard mounted.status == 0 else { throw TestSupportError("cannot mount a tmpfs: \(mounted.output)") }
    }

    deinit { _ = try? runCommand("/bin/umount", ["-l", mountPoint]) }

    /// A batch of `count` padded events with fresh messageIds.
    static func batch(_ count: Int, prefix: String) -> (ids: [String], body: String) {
        let ids = (0..<count).map { "\(prefix)-\($0)-\(UUID().uuidString)" }
        let padding = String(repeating: "x", count: 1500)
        let events = ids.map {
            #"{"type":"track","userId":"u","event":"Filled","messageId":"\#($0)","properties":{"pad":"\#(padding)"}}"#
        }
        return (ids, #"{"batch":[\#(events.joined(separator: ","))]}"#)
    }

    @Test func aFullDiskRefusesThenRecoversWithoutARestartOrALoss() async throws {
        let config = mountPoint + "/sluice.json"
        try #"{"spool":{"minFreeDiskBytes":0,"segmentBytes":2097152}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(
            dataDirectory: mountPoint + "/data", arguments: ["--config", config])
        defer { server.stop() }
        let key = HTTP.basic(server.writeKey)
        let token = try String(contentsOfFile: server.dataDirectory + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var acknowledged: [String] = []
        var refused: HTTP.Reply?
        for round in 0..<200 {
            let (ids, body) = Self.batch(200, prefix: "fill\(round)")
            let reply = try await HTTP.post(server.url + "/v1/batch", json: body, headers: [key])
            if reply.status == 200 {
                acknowledged += ids
            } else {
                refused = reply
                break
            }
        }
        let refusal = try #require(refused, "20 MB never filled up")
        #expect(refusal.status == 503)
        #expect(refusal.json?["code"] as? String == "overloaded")
        #expect(refusal.header("Retry-After") != nil)

        // Degraded, and says so.
        let health = try await HTTP.request("GET", server.url + "/health")
        #expect(health.status == 503)
        #expect(health.json?["status"] as? String == "unavailable", "\(health.text)")
        let status = try await HTTP.request(
            "GET", server.url + "/admin/status", headers: [("Authorization", "Bearer \(token)")])
        #expect((status.json?["backlogBytes"] as? Int ?? 0) > 1_000_000, "\(status.text)")
        #expect(status.json?["spoolRefusal"] as? String == "full", "\(status.text)")
        // The spool refuses once its next segment does not fit, which can leave up to a segment free: take the
        // rest, so that nothing can be written. Flush must say so and exit non-zero.
        let filler = try runCommand("/bin/dd", ["if=/dev/zero", "of=\(mountPoint)/filler", "bs=65536"])
        #expect(filler.output.contains("No space left on device"), "\(filler.output)")
        let flush = try runCommand(
            SluiceServerProcess.binaryPath, ["flush", "--url", server.url, "--data-dir", server.dataDirectory])
        #expect(flush.status != 0, "\(flush.output)")
        #expect(flush.output.contains("store_failed"), "\(flush.output)")

        // More room: appends resume by themselves.
        let grown = try runCommand("/bin/mount", ["-o", "remount,size=120m", mountPoint])
        #expect(grown.status == 0, "\(grown.output)")
        try await Poll.until("ingest to accept events again", timeout: .seconds(30), every: .milliseconds(250)) {
            let (ids, body) = Self.batch(50, prefix: "again")
            let reply = try await HTTP.post(server.url + "/v1/batch", json: body, headers: [key])
            if reply.status == 200 { acknowledged += ids }
            return reply.status == 200
        }
        try await Poll.until("flush to store everything", timeout: .seconds(120), every: .seconds(1)) {
            try runCommand(
                SluiceServerProcess.binaryPath, ["flush", "--url", server.url, "--data-dir", server.dataDirectory]
            ).status == 0
        }
        let healthy = try await HTTP.request("GET", server.url + "/health")
        #expect(healthy.json?["status"] as? String == "ok", "\(healthy.text)")

        let archive = try ArchiveSnapshot.read(server.bucket)
        let archived = Dictionary(archive.messageIDs.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(archived.count == acknowledged.count)
        #expect(Set(archived.keys) == Set(acknowledged))
        #expect(archived.values.allSatisfy { $0 == 1 })
        #expect(archive.duckDBRows == acknowledged.count)
    }
}
