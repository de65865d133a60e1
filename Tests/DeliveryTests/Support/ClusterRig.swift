import Foundation
import S3
import SluiceTesting
import Testing

/// A cluster for outage tests: one PostgreSQL, one moto for staging and destination, `count` `sluice serve` nodes
/// with S3 staging and 1 s batches, HAProxy in front. Stop it with `stop()` (also on failure, from a `defer`).
final class ClusterRig: @unchecked Sendable {
    let postgres: PostgresServer
    let moto: MotoServer
    let s3: S3Client
    var nodes: [SluiceServerProcess] = []
    var proxy: HAProxyServer?
    let environment: [String: String]
    let staging: [String]

    var writeKey: String { nodes[0].writeKey }

    init(postgres: PostgresServer, moto: MotoServer, s3: S3Client, environment: [String: String], staging: [String]) {
        self.postgres = postgres
        self.moto = moto
        self.s3 = s3
        self.environment = environment
        self.staging = staging
    }

    /// Starts everything. `node(n, rig)` may give node `n` its own staging endpoint (a proxy in front of
    /// `rig.moto`) and more `serve` arguments.
    static func start(
        nodes count: Int,
        node: (Int, ClusterRig) async throws -> (stagingEndpoint: String?, arguments: [String]) = { _, _ in (nil, []) }
    ) async throws -> ClusterRig {
        let postgres = try await PostgresServer.start()
        let moto: MotoServer
        do {
            moto = try await MotoServer.start()
        } catch {
            postgres.stop()
            throw error
        }
        let s3 = try ClusterStagingTests().client(moto)
        var environment = ClusterStagingTests.credentials
        environment["SLUICE_CATALOG"] = postgres.url(database: "sluice")
        environment["SLUICE_STAGING"] = "s3://stage-bucket/stage"
        environment["DEST_SECRET"] = "testing"
        let rig = ClusterRig(
            postgres: postgres, moto: moto, s3: s3, environment: environment,
            staging: ["--staging-endpoint", moto.endpoint, "--staging-region", "us-east-1"])
        do {
            try postgres.createDatabase("sluice")
            try await s3.createBucket("stage-bucket")
            try await s3.createBucket("dest-bucket")
            for n in 0..<count {
                let (endpoint, arguments) = try await node(n, rig)
                let staging = ["--staging-endpoint", endpoint ?? moto.endpoint, "--staging-region", "us-east-1"]
                rig.nodes.append(
                    try await SluiceServerProcess.start(
                        arguments: staging + ["--node-id", "n\(n)", "--batch-max-age", "1"] + arguments,
                        environment: environment))
            }
            let proxy = try await HAProxyServer.start(backends: rig.nodes.map(\.port))
            rig.proxy = proxy
            try await Poll.until("haproxy to answer", timeout: .seconds(20)) {
                (try? await HTTP.request("GET", proxy.url + "/health").status) == 200
            }
        } catch {
            rig.stop()
            throw error
        }
        return rig
    }

    func stop() {
        proxy?.stop()
        for node in nodes { node.stop() }
        moto.stop()
        postgres.stop()
    }

    /// `/healthz` of `node`: its status word and the catalog component's status.
    func health(_ node: SluiceServerProcess) async -> (status: String, catalog: String)? {
        guard let reply = try? await HTTP.request("GET", node.url + "/healthz"), let json = reply.json,
            let status = json["status"] as? String,
            let catalog = (json["components"] as? [String: Any])?["catalog"] as? [String: Any]
        else { return nil }
        return (status, catalog["status"] as? String ?? "")
    }

    /// The value of an unlabelled metric on `node`.
    func metric(_ name: String, on node: SluiceServerProcess) async throws -> Double? {
        let text = try await node.metrics()
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Staged batch objects, keys relative to the staging prefix.
    func stagedKeys() async throws -> [String] {
        try await s3.listAllObjects(bucket: "stage-bucket", prefix: "stage/segment-logs/").objects.map {
            String($0.key.dropFirst("stage/".count))
        }
    }

    /// Adds the destination (from node 1's CLI) and runs `copy --now` (from node 2's, or the last).
    func addDestinationAndCopy() throws {
        let added = try nodes[min(1, nodes.count - 1)].cli(
            [
                "destinations", "add", "default", "dest-bucket", "--endpoint", moto.endpoint, "--region", "us-east-1",
                "--access-key-id", "testing", "--secret-env", "DEST_SECRET",
            ] + staging)
        #expect(added.status == 0, "\(added.output)")
        try copyNow()
    }

    func copyNow() throws {
        let copied = try nodes[nodes.count - 1].cli(["copy", "--now"] + staging)
        #expect(copied.status == 0, "\(copied.output)")
    }

    /// Every destination object downloaded and gunzipped: the keys and how often each messageId occurs. An object
    /// that is not complete gzip (cut off) fails `gzip -t`, and fails the test.
    func delivered() async throws -> (keys: [String], counts: [String: Int]) {
        let objects = try await s3.listAllObjects(bucket: "dest-bucket", prefix: "segment-logs/").objects
        let scratch = try TemporaryDirectory("rig-delivered")
        defer { scratch.remove() }
        var counts: [String: Int] = [:]
        for object in objects {
            let path = scratch.path + "/" + UUID().uuidString + ".gz"
            try await s3.getObject(
                bucket: "dest-bucket", key: object.key, to: path, responseContentEncoding: "identity")
            let tested = try runCommand("/bin/gzip", ["-t", path])
            #expect(tested.status == 0, "\(object.key) is not whole gzip: \(tested.output)")
            for line in try runCommand("/bin/gzip", ["-dc", path]).output.split(separator: "\n") {
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let id = event?["messageId"] as? String { counts[id, default: 0] += 1 }
            }
        }
        return (objects.map(\.key), counts)
    }

    /// The id of the `default` source (the one the destination is added to).
    func defaultSourceID() throws -> String {
        let listed = try nodes[0].cli(["sources", "list", "--json"])
        let sources = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
        return try #require(sources?.first { $0["name"] as? String == "default" }?["id"] as? String)
    }

    /// Checks the outcome: the destination holds exactly the default source's staged objects, each whole, and
    /// every acknowledged messageId exactly once; no messageId at all more than once.
    func expectEveryAcknowledgedMessageDeliveredOnce(_ acked: Set<String>) async throws {
        let source = try defaultSourceID()
        let staged = try await stagedKeys().filter { $0.hasPrefix("segment-logs/\(source)/") }
        let (keys, counts) = try await delivered()
        #expect(keys.sorted() == staged.sorted(), "destination objects are the staged ones, once each")
        let missing = acked.subtracting(counts.keys)
        #expect(missing.isEmpty, "\(missing.count) acknowledged messageIds missing, e.g. \(missing.prefix(5))")
        let twice = counts.filter { $0.value > 1 }
        #expect(twice.isEmpty, "\(twice.count) messageIds delivered more than once, e.g. \(twice.prefix(5))")
    }
}

/// `scripts/testing/sdk_stream.py`: an official SDK sending track calls continuously until `stop()`.
final class StreamingSender: @unchecked Sendable {
    let process: ChildProcess
    let directory: TemporaryDirectory

    init(sdk: String, host: String, writeKey: String, prefix: String) throws {
        directory = try TemporaryDirectory("sdk-stream")
        process = try ChildProcess.launch(
            "/usr/bin/env",
            [
                "python3", PackageRoot.path + "/scripts/testing/sdk_stream.py", "--sdk", sdk, "--host", host,
                "--write-key", writeKey, "--prefix", prefix, "--stop-file", directory.path + "/stop",
                "--progress-file", directory.path + "/progress",
            ], logName: "sdk-stream-\(sdk)")
    }

    /// Messages acknowledged so far.
    var acknowledged: Int {
        let text = (try? String(contentsOfFile: directory.path + "/progress", encoding: .utf8)) ?? ""
        return Int(text.split(separator: " ").first ?? "") ?? 0
    }

    /// Waits until `more` messages beyond those acknowledged now are acknowledged.
    func waitForAcknowledgements(_ more: Int, timeout: Duration = .seconds(60)) async throws {
        let target = acknowledged + more
        try await Poll.until("\(more) more acknowledgements", timeout: timeout, every: .milliseconds(100)) {
            guard process.isRunning else { throw TestSupportError("sender exited: \(process.log().suffix(2000))") }
            return acknowledged >= target
        }
    }

    /// Stops sending and returns what was acknowledged and what failed.
    func stop() throws -> (acked: Set<String>, failed: Set<String>) {
        _ = FileManager.default.createFile(atPath: directory.path + "/stop", contents: nil)
        process.wait()
        defer { directory.remove() }
        let output = process.log()
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{\"acked\"") }),
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let acked = json["acked"] as? [String], let failed = json["failed"] as? [String]
        else { throw TestSupportError("no result from the sender:\n\(output.suffix(3000))") }
        return (Set(acked), Set(failed))
    }

    deinit { _ = FileManager.default.createFile(atPath: directory.path + "/stop", contents: nil) }
}
