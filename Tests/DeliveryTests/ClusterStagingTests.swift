import AsyncHTTPClient
import Foundation
import Logging
import S3
import SluiceTesting
import Testing

/// Two `sluice serve` nodes sharing a PostgreSQL catalog and an S3 staging bucket (moto): closed batches of both
/// land in the one bucket, encrypted, and one `copy --now` from either node delivers every event exactly once.
@Suite(.serialized) struct ClusterStagingTests {
    static let credentials = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]

    func client(_ moto: MotoServer) throws -> S3Client {
        try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(
                    AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))),
            httpClient: S3Harness.http, logger: Logger(label: "test.cluster"))
    }

    @Test func twoNodesStageIntoOneBucketAndOneCopyDeliversEveryEventOnce() async throws {
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        try postgres.createDatabase("sluice")
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let s3 = try client(moto)
        try await s3.createBucket("stage-bucket")
        try await s3.createBucket("dest-bucket")
        let staging = ["--staging-endpoint", moto.endpoint, "--staging-region", "us-east-1"]
        var environment = Self.credentials
        environment["SLUICE_CATALOG"] = postgres.url(database: "sluice")
        environment["SLUICE_STAGING"] = "s3://stage-bucket/stage"
        environment["DEST_SECRET"] = "testing"
        let a = try await SluiceServerProcess.start(arguments: staging + ["--node-id", "a"], environment: environment)
        defer { a.stop() }
        let b = try await SluiceServerProcess.start(arguments: staging + ["--node-id", "b"], environment: environment)
        defer { b.stop() }

        var sent: [String] = []
        for (node, name) in [(a, "a"), (b, "b")] {
            for n in 0..<20 {
                let id = "\(name)-\(n)"
                let reply = try await HTTP.post(
                    node.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"\#(id)"}"#,
                    headers: [HTTP.basic(a.writeKey)])
                #expect(reply.status == 200, "\(reply.text)")
                sent.append(id)
            }
            try node.flush()
        }
        let staged = try await s3.listAllObjects(bucket: "stage-bucket", prefix: "stage/segment-logs/").objects
        #expect(staged.count == 2, "one batch per node: \(staged.map(\.key))")
        for object in staged {
            #expect(try await s3.headObject(bucket: "stage-bucket", key: object.key).serverSideEncryption == "AES256")
        }
        #expect(a.bucketFiles().isEmpty && b.bucketFiles().isEmpty, "nothing stays in the nodes' local buckets")

        let added = try a.cli(
            [
                "destinations", "add", "default", "dest-bucket", "--endpoint", moto.endpoint, "--region", "us-east-1",
                "--access-key-id", "testing", "--secret-env", "DEST_SECRET",
            ] + staging)
        #expect(added.status == 0, "\(added.output)")
        let copied = try b.cli(["copy", "--now"] + staging)
        #expect(copied.status == 0, "\(copied.output)")
        let again = try a.cli(["copy", "--now"] + staging)
        #expect(again.status == 0, "\(again.output)")

        let delivered = try await s3.listAllObjects(bucket: "dest-bucket", prefix: "segment-logs/").objects
        #expect(delivered.map(\.key).sorted() == staged.map { String($0.key.dropFirst("stage/".count)) }.sorted())
        let scratch = try TemporaryDirectory("cluster-delivered")
        defer { scratch.remove() }
        var ids: [String] = []
        for object in delivered {
            let path = scratch.path + "/" + UUID().uuidString + ".gz"
            try await s3.getObject(
                bucket: "dest-bucket", key: object.key, to: path, responseContentEncoding: "identity")
            let text = try runCommand("/bin/gzip", ["-dc", path]).output
            for line in text.split(separator: "\n") {
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let id = event?["messageId"] as? String { ids.append(id) }
            }
        }
        #expect(ids.sorted() == sent.sorted(), "every acknowledged event exactly once")
    }

    @Test func aMissingStagingBucketIsOneLineAndExitCodeTwo() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let data = try TemporaryDirectory("cluster-no-bucket")
        defer { data.remove() }
        let result = try runCommand(
            SluiceServerProcess.binaryPath,
            [
                "serve", "--port", "\(try FreePort.allocate())", "--data-dir", data.path, "--staging",
                "s3://no-such-bucket/stage", "--staging-endpoint", moto.endpoint, "--staging-region", "us-east-1",
            ], environment: Self.credentials)
        #expect(result.status == 2, "\(result.output)")
        let lines = result.output.split(separator: "\n").filter { !$0.contains("Created source") }
        #expect(lines.count == 1 && lines.first?.contains("staging store") == true, "\(result.output)")
    }
}
