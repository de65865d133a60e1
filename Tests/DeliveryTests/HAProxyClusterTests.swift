import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Three `sluice serve` nodes behind HAProxy on one PostgreSQL catalog and one moto staging bucket; the official
/// Segment SDK sends through the proxy; after a flush of every node and one copy, every messageId is in the
/// destination exactly once.
@Suite(.serialized) struct HAProxyClusterTests {
    @Test func everyMessageSentThroughTheProxyLandsExactlyOnce() async throws {
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        try postgres.createDatabase("sluice")
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let s3 = try ClusterStagingTests().client(moto)
        try await s3.createBucket("stage-bucket")
        try await s3.createBucket("dest-bucket")
        let staging = ["--staging-endpoint", moto.endpoint, "--staging-region", "us-east-1"]
        var environment = ClusterStagingTests.credentials
        environment["SLUICE_CATALOG"] = postgres.url(database: "sluice")
        environment["SLUICE_STAGING"] = "s3://stage-bucket/stage"
        environment["DEST_SECRET"] = "testing"
        var nodes: [SluiceServerProcess] = []
        defer { for node in nodes { node.stop() } }
        for n in 0..<3 {
            nodes.append(
                try await SluiceServerProcess.start(
                    arguments: staging + ["--node-id", "n\(n)"], environment: environment))
        }
        let proxy = try await HAProxyServer.start(backends: nodes.map(\.port))
        defer { proxy.stop() }
        try await Poll.until("haproxy to answer", timeout: .seconds(20)) {
            (try? await HTTP.request("GET", proxy.url + "/health").status) == 200
        }

        var sent: [String: String] = [:]
        for run in 0..<3 {
            let result = try runCommand(
                "/usr/bin/env",
                [
                    "python3", PackageRoot.path + "/scripts/testing/sdk_send.py", "--sdk", "segment", "--host",
                    proxy.url, "--write-key", nodes[0].writeKey, "--no-gzip", "--prefix", "proxy-\(run)",
                    "--tracks", "150",
                ])
            #expect(result.status == 0, "SDK reported errors: \(result.output)")
            let json = try #require(result.output.split(separator: "\n").last)
            let batch = try #require(
                (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["sent"]
                    as? [String: String])
            sent.merge(batch) { first, _ in first }
        }
        #expect(sent.count == 3 * 155)
        for node in nodes { try node.flush() }

        let staged = try await s3.listAllObjects(bucket: "stage-bucket", prefix: "stage/segment-logs/").objects
        let writers = Set(
            staged.compactMap { $0.key.split(separator: "/").last?.split(separator: ".").dropFirst().first })
        #expect(writers.count >= 2, "requests were spread over the nodes: \(staged.map(\.key))")

        let added = try nodes[1].cli(
            [
                "destinations", "add", "default", "dest-bucket", "--endpoint", moto.endpoint, "--region", "us-east-1",
                "--access-key-id", "testing", "--secret-env", "DEST_SECRET",
            ] + staging)
        #expect(added.status == 0, "\(added.output)")
        let copied = try nodes[2].cli(["copy", "--now"] + staging)
        #expect(copied.status == 0, "\(copied.output)")

        let delivered = try await s3.listAllObjects(bucket: "dest-bucket", prefix: "segment-logs/").objects
        #expect(delivered.count == staged.count)
        let scratch = try TemporaryDirectory("proxy-delivered")
        defer { scratch.remove() }
        var counts: [String: Int] = [:]
        for object in delivered {
            let path = scratch.path + "/" + UUID().uuidString + ".gz"
            try await s3.getObject(
                bucket: "dest-bucket", key: object.key, to: path, responseContentEncoding: "identity")
            for line in try runCommand("/bin/gzip", ["-dc", path]).output.split(separator: "\n") {
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let id = event?["messageId"] as? String { counts[id, default: 0] += 1 }
            }
        }
        #expect(Set(counts.keys) == Set(sent.keys), "every acknowledged messageId is delivered")
        #expect(counts.values.allSatisfy { $0 == 1 }, "none twice: \(counts.filter { $0.value > 1 }.prefix(5))")
    }
}
