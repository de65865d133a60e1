import Foundation
import NIOCore
import S3
import SluiceTesting
import Testing

/// `sluice destinations import-from-segment` against moto with buckets pre-filled with Segment-shaped files: the
/// report, the warning for a source id with no folder, layout problems refused, and the destination added so new
/// files land beside Segment's.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct ImportFromSegmentTests {
    static let day1: Int64 = 1_552_003_200_000  // 2019-03-08
    static let day2: Int64 = 1_552_089_600_000  // 2019-03-09

    func put(_ s3: S3Client, _ bucket: String, _ key: String) async throws {
        try await s3.putObject(bucket: bucket, key: key, body: ByteBuffer(bytes: Array("x\n".utf8)))
    }

    func segmentName(_ created: Int64) -> String {
        "\(created).f2a929f376a0.baa71ec.\(UUID().uuidString.lowercased()).gz"
    }

    @Test func aBucketWithSegmentsFilesIsCheckedAndTheDestinationWritesBesideThem() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let server = try await SluiceServerProcess.start(environment: ["DEST_SECRET": "testing"])
        defer { server.stop() }
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(MotoDeliveryTests.testing)),
            httpClient: S3Harness.http, logger: .init(label: "test"))
        try await s3.createBucket("seg-old")
        for day in [Self.day1, Self.day2] {
            for offset: Int64 in [5_000, 70_000] {
                try await put(s3, "seg-old", "pre/segment-logs/qwertyuiop/\(day)/\(segmentName(day + offset))")
            }
        }
        try await put(s3, "seg-old", "pre/segment-logs/OtherSrc01/\(Self.day1)/\(segmentName(Self.day1 + 1))")
        #expect(
            try server.cli(["sources", "create", "web", "--id", "qwertyuiop", "--write-key", "web-key-00001"])
                .status == 0)
        #expect(try server.cli(["sources", "create", "fresh", "--write-key", "fresh-key-0001"]).status == 0)
        let access = [
            "--endpoint", moto.endpoint, "--region", "us-east-1", "--access-key-id", "testing", "--secret-env",
            "DEST_SECRET",
        ]

        let checked = try server.cli(
            ["destinations", "import-from-segment", "web", "seg-old/pre", "--check-only"] + access)
        #expect(checked.status == 0, "\(checked.output)")
        for expected in [
            "2 source folder(s): OtherSrc01, qwertyuiop",
            "segment-logs/qwertyuiop/: 2 day folder(s) (2019-03-08 to 2019-03-09), 4 file name(s) checked",
            "validation write: ok", "check only: nothing was added",
        ] {
            #expect(checked.output.contains(expected), "missing '\(expected)' in:\n\(checked.output)")
        }
        #expect(!checked.output.contains("warning") && !checked.output.contains("problem"), "\(checked.output)")
        #expect(!(try server.cli(["destinations", "list"]).output.contains("seg-old")))

        let fresh = try server.cli(
            ["destinations", "import-from-segment", "fresh", "seg-old/pre", "--check-only"] + access)
        #expect(fresh.status == 0, "\(fresh.output)")
        #expect(
            fresh.output.contains("warning: s3://seg-old/pre/segment-logs/ has no folder for source id"),
            "\(fresh.output)")
        #expect(fresh.output.contains("Sluice will start a new folder beside OtherSrc01, qwertyuiop"))

        let added = try server.cli(["destinations", "import-from-segment", "web", "seg-old/pre"] + access)
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("added destination"), "\(added.output)")
        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#, headers: [HTTP.basic("web-key-00001")])
        #expect(reply.status == 200)
        try server.flush()
        let copied = try server.cli(["copy", "--now"])
        #expect(copied.status == 0, "\(copied.output)")
        let keys = try await s3.listAllObjects(bucket: "seg-old", prefix: "pre/segment-logs/qwertyuiop/").objects
            .map(\.key)
        let staged = try #require(server.bucketFiles().first { $0.contains("/qwertyuiop/") })
        #expect(keys.count == 5 && keys.contains("pre/" + staged), "\(keys)")
    }

    @Test func aBucketWhoseLayoutDiffersOrCannotBeListedAddsNothing() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let server = try await SluiceServerProcess.start(environment: ["DEST_SECRET": "testing"])
        defer { server.stop() }
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(MotoDeliveryTests.testing)),
            httpClient: S3Harness.http, logger: .init(label: "test"))
        try await s3.createBucket("seg-odd")
        try await put(s3, "seg-odd", "segment-logs/qwertyuiop/2019-03-08/\(segmentName(Self.day1))")
        try await put(s3, "seg-odd", "segment-logs/qwertyuiop/\(Self.day1 + 3_600_000)/\(segmentName(Self.day1))")
        try await put(s3, "seg-odd", "segment-logs/qwertyuiop/\(Self.day2)/events.json.gz")
        try await put(s3, "seg-odd", "segment-logs/qwertyuiop/\(Self.day2)/\(segmentName(Self.day1))")
        #expect(try server.cli(["sources", "create", "web", "--id", "qwertyuiop"]).status == 0)
        let access = [
            "--endpoint", moto.endpoint, "--region", "us-east-1", "--access-key-id", "testing", "--secret-env",
            "DEST_SECRET",
        ]
        let refused = try server.cli(["destinations", "import-from-segment", "web", "seg-odd"] + access)
        #expect(refused.status != 0)
        for expected in [
            "problem: 2 folder(s) under segment-logs/qwertyuiop/ are not UTC midnights in milliseconds: 1552006800000, 2019-03-08",
            "problem: 1 file name(s) are not", "segment-logs/qwertyuiop/\(Self.day2)/events.json.gz",
            "problem: 1 file(s) were created before their day folder's midnight", "nothing was added",
        ] {
            #expect(refused.output.contains(expected), "missing '\(expected)' in:\n\(refused.output)")
        }
        let missing = try server.cli(["destinations", "import-from-segment", "web", "no-such-bucket"] + access)
        #expect(missing.status != 0 && missing.output.contains("cannot list"), "\(missing.output)")
        let badBucket = try server.cli(["destinations", "import-from-segment", "web", "Bad_Bucket/../x"] + access)
        #expect(badBucket.status != 0)
        let noSource = try server.cli(["destinations", "import-from-segment", "nosuchsource", "seg-odd"] + access)
        #expect(noSource.status != 0 && noSource.output.contains("no source 'nosuchsource'"))
        #expect(!(try server.cli(["destinations", "list"]).output.contains("seg-odd")))

        let forced = try server.cli(["destinations", "import-from-segment", "web", "seg-odd", "--force"] + access)
        #expect(forced.status == 0 && forced.output.contains("added destination"), "\(forced.output)")
    }
}
