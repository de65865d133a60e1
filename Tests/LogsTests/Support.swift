import ArchiveFormat
import AsyncHTTPClient
import Deflate
import Foundation
import Logging
import S3
import SluiceTesting

/// A moto server with one bucket, an S3 client to fill it, and the environment the CLIs need.
struct MotoBucket {
    let moto: MotoServer
    let http: HTTPClient
    let s3: S3Client
    let bucket: String

    static func start(bucket: String = "seg-logs", region: String = "us-east-1", maxKeys: Int? = nil) async throws
        -> MotoBucket
    {
        let moto = try await MotoServer.start(
            environment: maxKeys.map { ["MOTO_S3_DEFAULT_MAX_KEYS": "\($0)"] } ?? [:])
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: S3Client.httpClientConfiguration())
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: region,
                credentials: StaticCredentialsProvider(
                    AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))),
            httpClient: http, logger: Logger(label: "logs-tests"))
        try await s3.createBucket(bucket, region: region)
        return MotoBucket(moto: moto, http: http, s3: s3, bucket: bucket)
    }

    func stop() async {
        try? await http.shutdown()
        moto.stop()
    }

    var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"]
    }

    /// Stores a batch file as Segment's destination does: `Content-Type: text/plain`, `Content-Encoding: gzip`.
    func put(_ key: String, _ bytes: [UInt8]) async throws {
        try await s3.putObject(
            bucket: bucket, key: key, body: bytes, contentType: "text/plain", contentEncoding: "gzip")
    }

    /// Uploads `batches` under `{prefix}/segment-logs/{source}/{day}/`.
    func upload(_ batches: [SyntheticBatch], prefix: String, source: String) async throws {
        for batch in batches {
            try await put("\(prefix)/segment-logs/\(source)/\(batch.day.folderName)/\(batch.name)", batch.gzip)
        }
    }

    /// `aws s3 ...` against this server.
    func aws(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runCommand("/usr/bin/env", ["aws", "--endpoint-url", moto.endpoint] + arguments, environment: environment)
    }

    /// `sluice logs ...` against this bucket.
    func sluiceLogs(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runCommand(
            SluiceServerProcess.binaryPath, ["logs"] + arguments + ["--endpoint", moto.endpoint],
            environment: environment)
    }
}

/// A gzip NDJSON batch file in Segment's naming, with Segment-like events split into several gzip members.
struct SyntheticBatch {
    let day: ReceivedDay
    let name: String
    let ndjson: [UInt8]
    let gzip: [UInt8]
    let messageIDs: [String]
    let signedUp: Int

    /// `padding` adds that many pseudo-random hex characters to each event (for large, poorly compressible files).
    static func make(day: ReceivedDay, index: Int, events: Int, padding: Int = 0) throws -> SyntheticBatch {
        let created = day.epochMilliseconds + Int64(index) * 60_000 + 1234
        let name = try BatchFileName(
            createdAtMilliseconds: created, nodeID: "22d6e72e2a97", buildID: "baa71ec",
            uuid: BatchFileName.uuidV4(random: (UInt64(index) &* 0x9E37_79B9_7F4A_7C15, created.magnitude)))
        var state = UInt64(index + 1) &* 0x2545_F491_4F6C_DD1D
        var lines: [String] = []
        var ids: [String] = []
        var signedUp = 0
        for number in 0..<events {
            let id = "msg-\(day.folderName)-\(index)-\(number)"
            ids.append(id)
            var pad = ""
            pad.reserveCapacity(padding)
            while pad.count < padding {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                pad += String(state >> 4, radix: 16)
            }
            let event = number % 3 == 0 ? "Signed Up" : "Page Viewed"
            if number % 3 == 0 { signedUp += 1 }
            let at = "2026-11-24T10:\(10 + number % 50):00.000Z"
            lines.append(
                #"{"anonymousId":"anon-\#(number)","channel":"server","context":{"library":{"name":"analytics-python","#
                    + #""version":"2.4.0"}},"event":"\#(event)","integrations":{},"messageId":"\#(id)","#
                    + #""originalTimestamp":"\#(at)","projectId":"src1","properties":{"n":\#(number),"pad":"\#(pad.prefix(padding))"},"#
                    + #""receivedAt":"\#(at)","sentAt":"\#(at)","timestamp":"\#(at)","type":"track","userId":"u-\#(number)","version":2}"#
            )
        }
        var gzip: [UInt8] = []
        var ndjson: [UInt8] = []
        for start in stride(from: 0, to: lines.count, by: 50) {
            let member = Array(lines[start..<min(start + 50, lines.count)].map { $0 + "\n" }.joined().utf8)
            ndjson += member
            gzip += Gzip.compress(member, level: 1)
        }
        return SyntheticBatch(
            day: day, name: name.description, ndjson: ndjson, gzip: gzip, messageIDs: ids, signedUp: signedUp)
    }
}

/// Regular files under `directory` (relative paths, sorted), leaving out the sync's `.sluice` state.
func regularFiles(_ directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    return walker.compactMap { $0 as? String }.filter { path in
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
        return !isDirectory.boolValue && !path.hasPrefix(".sluice")
    }.sorted()
}

func contents(_ path: String) -> [UInt8] {
    (try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init) ?? []
}
