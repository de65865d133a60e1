import Catalog
import CatalogPostgres
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Three `sluice serve` nodes on one PostgreSQL catalog share the copy of a backlog as leased work; one is
/// SIGKILLed while it holds leases, and the others take its work over when the leases expire: every staged file
/// lands in the destination exactly once, and no work row is left.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct LeasedCopyClusterTests {
    static let files = 240

    @Test func aNodeKilledHoldingLeasesIsTakenOverAndEveryFileLandsOnce() async throws {
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
        let logger = Logger(label: "test.leases")
        // The nodes seal and open secrets with the test clusters' shared key (SluiceServerProcess adds it).
        let sealer = SecretSealer(key: try SecretKey.parse(SluiceServerProcess.clusterSecretKey, origin: "test"))
        let catalog = try await PostgresCatalog.open(
            url: try PostgresURL.parse(postgres.url(database: "sluice")), secrets: sealer, logger: logger)

        do {
            // A backlog staged before the nodes start (found by the start-up backfill), and its destination.
            let source = try await catalog.createSource(
                id: "qwertyuiop", name: "default", writeKey: nil, nowMilliseconds: 0)
            let body = try Self.gzip(#"{"event":"e","messageId":"m","type":"track","userId":"u"}"# + "\n")
            var keys: [String] = []
            for n in 0..<Self.files {
                let uuid = UUID().uuidString.lowercased()
                let key = "segment-logs/\(source.id)/1700006400000/\(1_700_000_000_000 + n).aabbccddeeff.dev.\(uuid).gz"
                try await s3.putObject(bucket: "stage-bucket", key: "stage/" + key, body: body, encryption: .aes256)
                keys.append(key)
            }
            try await catalog.createDestination(
                Destination(
                    id: "dest1", sourceID: source.id, bucket: "dest-bucket", encryption: .aes256,
                    access: .staticKeys(accessKeyID: "testing", secretAccessKey: "testing"), endpoint: moto.endpoint,
                    region: "us-east-1", createdAtMilliseconds: 1))

            let config = try TemporaryDirectory("lease-config")
            defer { config.remove() }
            try #"{"copy": {"continuous": true, "intervalSeconds": 1, "leaseSeconds": 4}}"#.write(
                toFile: config.path + "/sluice.json", atomically: true, encoding: .utf8)
            var nodes: [SluiceServerProcess] = []
            defer { for node in nodes { node.stop() } }
            for name in ["a", "b", "c"] {
                nodes.append(
                    try await SluiceServerProcess.start(
                        arguments: staging + ["--node-id", name, "--config", config.path + "/sluice.json"],
                        environment: environment))
            }

            // Kill c while it holds leases, with part of the backlog delivered.
            try await Poll.until("node c to hold copy leases", timeout: .seconds(60), every: .milliseconds(10)) {
                try await catalog.nodes().first { $0.id == "c" }?.copyLeases ?? 0 > 0
            }
            nodes[2].kill()
            let held = try await catalog.copyWorkCounts(nowMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            #expect(held.total > 0, "the kill should land mid-copy")

            try await Poll.until(
                "every file delivered and no work left", timeout: .seconds(120), every: .milliseconds(200)
            ) {
                let left = try await catalog.copyWorkCounts(nowMilliseconds: 0).total
                let done = try await catalog.deliveredKeys(destinationID: "dest1").count
                return left == 0 && done == Self.files
            }
            let delivered = try await s3.listAllObjects(bucket: "dest-bucket", prefix: "segment-logs/").objects
            #expect(delivered.map(\.key).sorted() == keys.sorted(), "every staged file exactly once")
            #expect(delivered.allSatisfy { $0.size == Int64(body.count) })
            #expect(try await catalog.deliveredKeys(destinationID: "dest1") == Set(keys))
            #expect(try await catalog.stagedFiles(sourceID: source.id).map(\.key) == keys.sorted())
            // The killed node's leases expired and its work was completed by the others.
            #expect(try await catalog.nodes().filter { $0.id != "c" }.allSatisfy { $0.copyLeases == 0 })
        } catch {
            await catalog.close()
            throw error
        }
        await catalog.close()
    }

    static func gzip(_ text: String) throws -> [UInt8] {
        let dir = try TemporaryDirectory("lease-gzip")
        defer { dir.remove() }
        try text.write(toFile: dir.path + "/e.ndjson", atomically: true, encoding: .utf8)
        let (status, output) = try runCommand("/usr/bin/env", ["gzip", "-n", "-f", dir.path + "/e.ndjson"])
        guard status == 0 else { throw TestSupportError("gzip failed: \(output)") }
        return try #require(FileManager.default.contents(atPath: dir.path + "/e.ndjson.gz").map(Array.init))
    }
}
