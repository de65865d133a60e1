import Foundation
import SluiceTesting
import Testing

/// What a browser set-up needs from the real server besides CORS: the settings document analytics-next loads from
/// its `cdnURL`, and `context.ip` from forwarding headers only when the peer is a trusted proxy.
@Suite(.serialized) struct BrowserSetupTests {
    func segmentIO(_ reply: HTTP.Reply) throws -> [String: Any] {
        let integrations = try #require(reply.json?["integrations"] as? [String: Any], "\(reply.text)")
        #expect(integrations.count == 1, "Segment.io is the only destination: \(integrations.keys)")
        return try #require(integrations["Segment.io"] as? [String: Any])
    }

    @Test func settingsPointAnalyticsNextBackAtSluice() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let url = server.url + "/v1/projects/\(server.writeKey)/settings"
        let reply = try await HTTP.request("GET", url, headers: [("Origin", "http://127.0.0.1:5500")])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("Content-Type") == "application/json")
        #expect(reply.header("Access-Control-Allow-Origin") == "*")
        let settings = try segmentIO(reply)
        #expect(settings["apiKey"] as? String == server.writeKey)
        #expect(settings["apiHost"] as? String == "127.0.0.1:\(server.port)/v1")
        #expect(settings["protocol"] as? String == "http")
        // Nothing that would call Segment's own hosts.
        #expect((reply.json?["metrics"] as? [String: Any])?["sampleRate"] as? Int == 0)
        #expect((reply.json?["remotePlugins"] as? [Any])?.isEmpty == true)
        #expect(reply.json?["plan"] is [String: Any] && reply.json?["edgeFunction"] is [String: Any])

        let unknown = try await HTTP.request("GET", server.url + "/v1/projects/no-such-key-0000/settings")
        #expect(unknown.status == 404)
        #expect(unknown.json?["code"] as? String == "unknown_write_key", "\(unknown.text)")
        #expect((unknown.json?["message"] as? String)?.isEmpty == false)
        let forgedHost = try await HTTP.request("GET", url, headers: [("Host", "evil\"}, {\"x")])
        #expect(forgedHost.status == 400, "\(forgedHost.text)")
    }

    @Test func aPublicURLWinsOverTheHostHeader() async throws {
        let directory = try TemporaryDirectory("public-url")
        defer { directory.remove() }
        let config = directory.path + "/sluice.json"
        try #"{"http": {"publicURL": "https://collect.example.com"}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(arguments: ["--config", config])
        defer { server.stop() }
        let reply = try await HTTP.request("GET", server.url + "/v1/projects/\(server.writeKey)/settings")
        let settings = try segmentIO(reply)
        #expect(settings["apiHost"] as? String == "collect.example.com/v1")
        #expect(settings["protocol"] as? String == "https")
    }

    /// Sends one page call per forwarding header set and reads `context.ip` of each back from the archive.
    func recordedIPs(_ server: SluiceServerProcess, _ cases: [(id: String, headers: [(String, String)])]) async throws
        -> [String: String]
    {
        for item in cases {
            let body = #"{"type":"page","anonymousId":"a","name":"Home","messageId":"\#(item.id)"}"#
            let reply = try await HTTP.request(
                "POST", server.url + "/v1/p",
                headers: [("Content-Type", "text/plain"), HTTP.basic(server.writeKey)] + item.headers,
                body: Array(body.utf8))
            #expect(reply.status == 200, "\(reply.text)")
        }
        try server.flush()
        var ips: [String: String] = [:]
        for event in try ArchiveSnapshot.read(server.bucket).events {
            guard let id = event["messageId"] as? String else { continue }
            ips[id] = (event["context"] as? [String: Any])?["ip"] as? String
        }
        return ips
    }

    @Test func forwardingHeadersAreBelievedOnlyFromTrustedProxies() async throws {
        let cases: [(id: String, headers: [(String, String)])] = [
            ("xff", [("X-Forwarded-For", "6.6.6.6, 203.0.113.7")]),
            ("fwd", [("Forwarded", #"for="[2001:db8::7]:443";proto=https"#)]),
            ("none", []),
        ]
        // The loopback peer is trusted: the header names the client.
        let trusting = try await SluiceServerProcess.start(arguments: ["--trusted-proxies", "10.0.0.0/8,127.0.0.1"])
        defer { trusting.stop() }
        #expect(
            try await recordedIPs(trusting, cases) == ["xff": "203.0.113.7", "fwd": "2001:db8::7", "none": "127.0.0.1"])
        // A peer outside the trusted ranges, and a server that trusts none: the socket address, whatever is sent.
        for arguments in [["--trusted-proxies", "10.0.0.0/8"], []] {
            let other = try await SluiceServerProcess.start(arguments: arguments)
            defer { other.stop() }
            #expect(
                try await recordedIPs(other, cases) == ["xff": "127.0.0.1", "fwd": "127.0.0.1", "none": "127.0.0.1"],
                "\(arguments)")
        }
    }

    @Test func aMalformedTrustedProxyIsOneClearError() throws {
        let directory = try TemporaryDirectory("bad-proxies")
        defer { directory.remove() }
        let run = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", directory.path,
                "--trusted-proxies", "10.0.0.0/8,10.0.0.1/8",
            ])
        #expect(run.status != 0)
        #expect(run.output.contains("10.0.0.1/8") && run.output.contains("CIDR"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/catalog.sqlite"), "nothing was created")
    }
}
