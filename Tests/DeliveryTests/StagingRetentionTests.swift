import Foundation
import S3
import SluiceTesting
import Testing

/// `--staging-retention`: the server's copy service deletes a staged file older than the retention once every
/// enabled destination of its source has it, and never one that some enabled destination still lacks.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct StagingRetentionTests {
    @Test func oldStagedFilesGoOnlyOnceEveryEnabledDestinationHasThem() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let dir = try TemporaryDirectory("staging-retention")
        defer { dir.remove() }
        let config = dir.path + "/sluice.json"
        try #"{"copy": {"continuous": true, "intervalSeconds": 1}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(
            dataDirectory: dir.path + "/data", arguments: ["--config", config, "--staging-retention", "1h"],
            environment: ["DEST_SECRET": "testing"])
        defer { server.stop() }
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(MotoDeliveryTests.testing)),
            httpClient: S3Harness.http, logger: .init(label: "test"))
        try await s3.createBucket("kept")

        let two = try server.cli(["sources", "create", "two", "--write-key", "two-key-0000001"])
        #expect(two.status == 0, "\(two.output)")
        for key in [server.writeKey, "two-key-0000001"] {
            let reply = try await HTTP.post(
                server.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#, headers: [HTTP.basic(key)])
            #expect(reply.status == 200)
        }
        try server.flush()
        let fresh = server.bucketFiles()
        #expect(fresh.count == 2)
        for (source, bucket, extra) in [
            // A bucket that does not exist: this enabled destination never receives anything. Every destination is in
            // place before the old files are, so no run sees a source with fewer destinations than it will have.
            ("two", "missing-bucket", ["--endpoint", moto.endpoint, "--no-validate"]),
            ("default", "kept/one", ["--endpoint", moto.endpoint]),
            ("two", "kept/two", ["--endpoint", moto.endpoint]),
        ] {
            let added = try server.cli(
                [
                    "destinations", "add", source, bucket, "--region", "us-east-1", "--access-key-id", "testing",
                    "--secret-env", "DEST_SECRET",
                ] + extra)
            #expect(added.status == 0, "\(added.output)")
        }
        // A copy of each fresh batch under a name written two hours ago: older than the retention.
        let old = try fresh.map { try backdated(server.bucket, $0, byMilliseconds: 2 * 3_600_000) }
        // Files put into staging behind Sluice's back are in no ledger row until a start's backfill records them.
        server.stop()
        try await server.restart()
        let defaultID = try sourceID(server, "default")
        let oldDefault = try #require(old.first { $0.contains("/\(defaultID)/") })
        let oldTwo = try #require(old.first { !$0.contains("/\(defaultID)/") })

        try await Poll.until(
            "the copy service delivers and retention removes the old default file", timeout: .seconds(90)
        ) {
            !server.bucketFiles().contains(oldDefault)
        }
        #expect((try? await s3.headObject(bucket: "kept", key: "one/" + oldDefault)) != nil)
        try await Poll.until("the old file of source two reaches the bucket that works", timeout: .seconds(90)) {
            (try? await s3.headObject(bucket: "kept", key: "two/" + oldTwo)) != nil
        }
        // A run of its own that ends with retention: the file one enabled destination lacks is still staged.
        let copied = try server.cli(["copy", "--now", "--staging-retention", "1h"])
        #expect(copied.status != 0 && copied.output.contains("error"), "\(copied.output)")
        let staged = Set(server.bucketFiles())
        #expect(staged.contains(oldTwo), "\(staged)")
        #expect(Set(fresh).isSubset(of: staged), "files younger than the retention stay")

        let bad = try server.cli(["copy", "--now", "--staging-retention", "30m"])
        #expect(bad.status != 0 && bad.output.contains("use a number of days or hours, e.g. 30d or 12h"))
    }

    @Test(arguments: ["30m", "0d", "d", "1w", "1.5d", "h12"])
    func aRetentionThatIsNotDaysOrHoursStopsServe(value: String) async throws {
        let dir = try TemporaryDirectory("staging-retention-bad")
        defer { dir.remove() }
        let result = try runCommand(
            SluiceServerProcess.binaryPath,
            ["serve", "--port", "\(try FreePort.allocate())", "--data-dir", dir.path, "--staging-retention", value])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--staging-retention"), "\(result.output)")
    }

    /// Copies `relative` (a staged key) to the same source folder under a name and day `by` milliseconds older.
    func backdated(_ bucket: String, _ relative: String, byMilliseconds by: Int64) throws -> String {
        let parts = relative.split(separator: "/").map(String.init)
        var name = parts[3].split(separator: ".", maxSplits: 1).map(String.init)
        let created = try #require(Int64(name[0])) - by
        name[0] = "\(created)"
        let day = created - created % 86_400_000
        let key = [parts[0], parts[1], "\(day)", name.joined(separator: ".")].joined(separator: "/")
        try FileManager.default.createDirectory(
            atPath: bucket + "/" + (key as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bucket + "/" + relative, toPath: bucket + "/" + key)
        return key
    }

    func sourceID(_ server: SluiceServerProcess, _ name: String) throws -> String {
        let listed = try server.cli(["sources", "list", "--json"])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        return try #require(all.first { $0["name"] as? String == name }?["id"] as? String)
    }
}
