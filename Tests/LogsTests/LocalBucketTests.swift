import ArchiveFormat
import Foundation
import SluiceTesting
import Testing

@testable import Logs

/// `sluice logs` on the embedded default: real batch files written by the real `sluice` binary, read from its
/// local bucket (source named through the catalog), and the same files in moto read back by `aws s3 sync`.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled && which("aws") != nil))
struct LocalBucketTests {
    func track(_ id: String, event: String) -> String {
        #"{"userId":"u-\#(id)","event":"\#(event)","messageId":"\#(id)","properties":{"plan":"pro"}}"#
    }

    @Test func realBatchFilesSyncFromTheLocalBucketAndFromS3() async throws {
        let server = try await SluiceServerProcess.start()
        var ids: [String] = []
        for round in 0..<3 {
            for number in 0..<20 {
                let id = "local-\(round)-\(number)"
                ids.append(id)
                let reply = try await HTTP.post(
                    server.url + "/v1/track", json: track(id, event: number % 4 == 0 ? "Signed Up" : "Viewed"),
                    headers: [HTTP.basic(server.writeKey)])
                #expect(reply.status == 200)
            }
            try server.flush()
        }
        server.stop()
        let stored = server.bucketFiles()
        #expect(stored.count >= 3)
        let parts = try #require(stored.first?.split(separator: "/"))
        let (source, folder) = (String(parts[1]), String(parts[2]))
        let date = UTCDate(try #require(ReceivedDay(folderName: folder))).description
        let work = try TemporaryDirectory("logs-local")
        defer { work.remove() }

        // By name through the catalog, from the local bucket.
        let days = try server.cli(["logs", "days", "default"])
        #expect(
            days.status == 0 && days.output.contains(folder) && days.output.contains(" \(stored.count) "),
            "\(days.output)")
        let sync = try server.cli(["logs", "sync", "default", "--day", date, "--dir", work.path + "/local"])
        #expect(sync.status == 0, "\(sync.output)")
        #expect(regularFiles(work.path + "/local").map { "segment-logs/\(source)/\($0)" } == stored)
        for file in stored {
            let name = file.split(separator: "/").suffix(2).joined(separator: "/")
            #expect(contents(server.bucket + "/" + file) == contents(work.path + "/local/" + name))
        }
        let again = try server.cli(["logs", "sync", "default", "--day", date, "--dir", work.path + "/local"])
        #expect(again.output.contains("\(stored.count) files: 0 downloaded"), "\(again.output)")
        let snapshot = try ArchiveSnapshot.read(work.path + "/local")
        #expect(snapshot.duckDBMessageIDs == ids.sorted())
        let grep = try server.cli(["logs", "cat", "default", "--day", date, "--grep", "Signed Up"])
        #expect(grep.status == 0 && grep.output.split(separator: "\n").count == ids.count / 4, "\(grep.output)")

        // The same real files delivered to moto read back identically by sluice and by aws s3 sync.
        let bucket = try await MotoBucket.start()
        for file in stored { try await bucket.put(file, contents(server.bucket + "/" + file)) }
        let remote = try bucket.sluiceLogs(
            ["sync", source, "--day", date, "--bucket", "seg-logs", "--dir", work.path + "/s3", "--decompress"])
        #expect(remote.status == 0, "\(remote.output)")
        let aws = try bucket.aws(["s3", "sync", "s3://seg-logs/segment-logs/\(source)/\(folder)", work.path + "/aws"])
        #expect(aws.status == 0, "\(aws.output)")
        for name in regularFiles(work.path + "/aws") {
            let zcat = try runCommand("/usr/bin/env", ["zcat", "\(work.path)/aws/\(name)"])
            #expect(contents("\(work.path)/s3/\(folder)/\(name.dropLast(3)).ndjson") == Array(zcat.output.utf8))
        }
        await bucket.stop()
    }
}
