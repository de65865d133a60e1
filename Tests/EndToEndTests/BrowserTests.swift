import Foundation
import SluiceTesting
import Testing

/// A real browser: Debian's headless Chromium loads the project's test page from another origin (a second loopback
/// server), which fetches its settings from Sluice as analytics-next does from its cdnURL, then sends page and
/// identify with `fetch` (`text/plain`, `keepalive`), track with `navigator.sendBeacon`, and a batch that needs a
/// CORS preflight. Every event lands in the archive with `context.ip`, `context.userAgent` and `context.page`.
@Suite(.serialized) struct BrowserTests {
    @Test func chromiumOnAnotherOriginSendsEventsThatLandEnriched() async throws {
        for program in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(
                FileManager.default.isExecutableFile(atPath: program),
                "\(program) is missing: scripts/test.sh installs chromium and chromium-driver")
        }
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let prefix = "browser-\(UUID().uuidString.prefix(8))"
        let run = try runCommand(
            "/usr/bin/env",
            [
                "python3", PackageRoot.path + "/scripts/testing/browser_send.py", "--cdn", server.url, "--write-key",
                server.writeKey, "--prefix", prefix,
            ])
        #expect(run.status == 0, "browser run failed: \(run.output)")
        let line = try #require(run.output.split(separator: "\n").last)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["settingsStatus"] as? Int == 200, "\(report)")
        let calls = try #require(report["calls"] as? [[String: Any]])
        #expect(calls.count == 4)
        for call in calls where call["beacon"] == nil {
            #expect(call["status"] as? Int == 200, "\(call)")
            #expect(call["body"] as? String == #"{"success":true}"#)
        }
        #expect(calls.first { $0["path"] as? String == "/t" }?["beacon"] as? Bool == true)
        let userAgent = try #require(report["userAgent"] as? String)
        let pageOrigin = try #require(report["origin"] as? String)
        #expect(pageOrigin != server.url, "the page is served from another origin")

        // The beacon is sent in the background: flush until all four are in the archive.
        let expected: [String: String] = [
            "\(prefix)-page": "page", "\(prefix)-identify": "identify", "\(prefix)-track": "track",
            "\(prefix)-batch": "track",
        ]
        var events: [[String: Any]] = []
        try await Poll.until("the browser's four events in the archive", timeout: .seconds(30)) {
            try server.flush()
            events = try ArchiveSnapshot.read(server.bucket).events
            return Set(events.compactMap { $0["messageId"] as? String }) == Set(expected.keys)
        }
        #expect(events.count == 4)
        for event in events {
            let id = try #require(event["messageId"] as? String)
            #expect(event["type"] as? String == expected[id], "\(id)")
            #expect(event["writeKey"] as? String == server.writeKey, "the body's writeKey is kept, as Segment does")
            let context = try #require(event["context"] as? [String: Any], "\(id)")
            #expect(context["ip"] as? String == "127.0.0.1", "\(id)")
            #expect(context["userAgent"] as? String == userAgent, "\(id)")
            #expect((context["userAgent"] as? String)?.contains("Chrome/") == true)
            let page = try #require(context["page"] as? [String: Any], "\(id)")
            #expect((page["url"] as? String)?.hasPrefix(pageOrigin + "/index.html") == true, "\(page)")
            #expect(page["title"] as? String == "Sluice browser test")
            #expect((context["library"] as? [String: Any])?["name"] as? String == "analytics.js")
        }
        let beacon = try #require(events.first { $0["messageId"] as? String == "\(prefix)-track" })
        #expect(beacon["event"] as? String == "Beacon Sent")
    }
}
