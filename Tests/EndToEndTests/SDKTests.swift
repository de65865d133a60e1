import Foundation
import SluiceTesting
import Testing

/// The official Python SDKs send all six call types through `/v1/batch`; every messageId lands exactly once,
/// enriched, under the right source and day folder.
@Suite(.serialized) struct SDKTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sdk: String
        let gzip: Bool
        var testDescription: String { "\(sdk) gzip \(gzip ? "on" : "off")" }
    }

    @Test(arguments: [
        Case(sdk: "segment", gzip: false), Case(sdk: "segment", gzip: true), Case(sdk: "rudder", gzip: true),
    ])
    func sdkEventsLandOnceEnriched(_ sdkCase: Case) async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let prefix = "\(sdkCase.sdk)-\(sdkCase.gzip ? "gz" : "plain")-\(UUID().uuidString.prefix(8))"
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let run = try runCommand(
            "/usr/bin/env",
            [
                "python3", PackageRoot.path + "/scripts/testing/sdk_send.py", "--sdk", sdkCase.sdk, "--host",
                server.url,
                "--write-key", server.writeKey, sdkCase.gzip ? "--gzip" : "--no-gzip", "--prefix", prefix,
            ])
        #expect(run.status == 0, "SDK reported errors: \(run.output)")
        let sentJSON = try #require(run.output.split(separator: "\n").last)
        let sent = try #require(
            (try JSONSerialization.jsonObject(with: Data(sentJSON.utf8)) as? [String: Any])?["sent"]
                as? [String: String])
        #expect(sent.count == 10)
        try server.flush()
        let after = Int64(Date().timeIntervalSince1970 * 1000)

        let archive = try ArchiveSnapshot.read(server.bucket)
        #expect(archive.duckDBRows == sent.count)
        #expect(Set(archive.duckDBMessageIDs) == Set(sent.keys))
        let sources = try server.cli(["sources", "list", "--json"])
        let sourceList = try #require(
            try JSONSerialization.jsonObject(with: Data(sources.output.utf8)) as? [[String: Any]])
        let sourceID = try #require(sourceList.first?["id"] as? String)

        var seen: [String: Int] = [:]
        for event in archive.events {
            let id = try #require(event["messageId"] as? String)
            seen[id, default: 0] += 1
            #expect(event["type"] as? String == sent[id], "type of \(id)")
            #expect(event["projectId"] as? String == sourceID)
            #expect(event["version"] as? Int == 2)
            #expect(event["channel"] as? String == "server")
            #expect(event["integrations"] is [String: Any])
            let receivedAt = try #require(event["receivedAt"] as? String)
            #expect(receivedAt.count == 24 && receivedAt.hasSuffix("Z"), "receivedAt \(receivedAt)")
            let received = try #require(Timestamps.milliseconds(receivedAt))
            #expect(received >= before - 1000 && received <= after + 1000)
            #expect(event["sentAt"] is String)
            #expect(event["originalTimestamp"] is String)
            let timestamp = try #require(event["timestamp"] as? String)
            #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"))
            let context = try #require(event["context"] as? [String: Any])
            #expect((context["library"] as? [String: Any])?["name"] as? String == "analytics-python")
            #expect(context["ip"] as? String == "127.0.0.1")
            // segment-logs/{source}/{received-day}/{file}.gz with the day from receivedAt.
            let file = try #require(event["__file"] as? String)
            let parts = file.split(separator: "/")
            #expect(parts.count == 4 && parts[0] == "segment-logs" && parts[1] == Substring(sourceID))
            #expect(parts[2] == Substring(String(received - received % 86_400_000)))
            #expect(
                parts[3].wholeMatch(of: /[0-9]{13}\.[0-9a-f]{12}\.[0-9a-f]{7}\.[0-9a-f-]{36}\.gz/) != nil,
                "file name \(parts[3])")
        }
        #expect(seen == Dictionary(uniqueKeysWithValues: sent.keys.map { ($0, 1) }), "every messageId exactly once")
        let track = try #require(archive.events.first { $0["type"] as? String == "track" })
        #expect((track["properties"] as? [String: Any])?["name"] as? String == "café")
        #expect(track["event"] as? String == "Order Completed")
    }
}

/// Parses the `YYYY-MM-DDTHH:MM:SS.mmmZ` form Sluice writes.
enum Timestamps {
    static func milliseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
