import ArchiveFormat
import Foundation
import SluiceTesting
import Testing

@testable import Logs

/// `sluice logs` against a Segment layout in moto, checked with the tools users already have: `aws s3 ls/sync`,
/// s3cmd, `zcat` and DuckDB.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled && which("aws") != nil))
struct MotoSyncTests {
    static let nov24 = ReceivedDay(containing: 1_795_478_400_000)
    static let dayFolder = nov24.folderName

    /// Two days of files; `maxKeys: 7` makes every listing page.
    func layout() async throws -> (MotoBucket, [SyntheticBatch]) {
        let bucket = try await MotoBucket.start(maxKeys: 7)
        var batches: [SyntheticBatch] = []
        for index in 0..<25 { batches.append(try .make(day: Self.nov24, index: index, events: 3 + index % 8 * 20)) }
        for index in 0..<3 { batches.append(try .make(day: Self.nov24.previous, index: index, events: 5)) }
        try await bucket.upload(batches, prefix: "pfx", source: "src1")
        return (bucket, batches)
    }

    @Test func syncOfADayEqualsAwsS3SyncAndS3cmdAndReadsInDuckDB() async throws {
        let (bucket, batches) = try await layout()
        let work = try TemporaryDirectory("logs-sync")
        defer { work.remove() }
        let day = batches.filter { $0.day == Self.nov24 }

        let sluice = try bucket.sluiceLogs(
            ["sync", "src1", "--day", "2026-11-24", "--bucket", "seg-logs/pfx", "--dir", work.path + "/sluice"])
        #expect(sluice.status == 0, "\(sluice.output)")
        let aws = try bucket.aws([
            "s3", "sync", "s3://seg-logs/pfx/segment-logs/src1/\(Self.dayFolder)", work.path + "/aws",
        ])
        #expect(aws.status == 0, "\(aws.output)")

        let names = regularFiles(work.path + "/aws")
        #expect(names == day.map(\.name).sorted())
        #expect(regularFiles(work.path + "/sluice") == names.map { "\(Self.dayFolder)/\($0)" })
        for name in names {
            #expect(contents("\(work.path)/sluice/\(Self.dayFolder)/\(name)") == contents("\(work.path)/aws/\(name)"))
        }
        if which("s3cmd") != nil {
            let config = work.path + "/s3cmd.cfg"
            let host = "127.0.0.1:\(bucket.moto.port)"
            try
                "[default]\naccess_key = testing\nsecret_key = testing\nhost_base = \(host)\nhost_bucket = \(host)\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let s3cmd = try runCommand(
                "/usr/bin/env",
                [
                    "s3cmd", "-c", config, "sync", "s3://seg-logs/pfx/segment-logs/src1/\(Self.dayFolder)/",
                    work.path + "/s3cmd/",
                ])
            #expect(s3cmd.status == 0, "\(s3cmd.output)")
            #expect(regularFiles(work.path + "/s3cmd") == names)
            for name in names {
                #expect(contents("\(work.path)/s3cmd/\(name)") == contents("\(work.path)/aws/\(name)"))
            }
        }

        let snapshot = try ArchiveSnapshot.read(work.path + "/sluice")
        #expect(snapshot.duckDBRows == day.reduce(0) { $0 + $1.messageIDs.count })
        #expect(snapshot.duckDBMessageIDs == day.flatMap(\.messageIDs).sorted())

        let again = try bucket.sluiceLogs(
            ["sync", "src1", "--day", "2026-11-24", "--bucket", "seg-logs/pfx", "--dir", work.path + "/sluice"])
        #expect(again.status == 0 && again.output.contains("25 files: 0 downloaded"), "\(again.output)")
        #expect(again.output.contains("25 already present"))
        await bucket.stop()
    }

    @Test func decompressEqualsZcatOfTheAwsFiles() async throws {
        let (bucket, batches) = try await layout()
        let work = try TemporaryDirectory("logs-decompress")
        defer { work.remove() }
        let result = try bucket.sluiceLogs(
            ["sync", "src1", "--all", "--decompress", "--bucket", "seg-logs/pfx", "--dir", work.path + "/plain"])
        #expect(result.status == 0, "\(result.output)")
        let aws = try bucket.aws(["s3", "sync", "s3://seg-logs/pfx/segment-logs/src1/", work.path + "/aws"])
        #expect(aws.status == 0, "\(aws.output)")
        let gzipped = regularFiles(work.path + "/aws")
        #expect(gzipped.count == batches.count)
        #expect(regularFiles(work.path + "/plain") == gzipped.map { String($0.dropLast(3)) + ".ndjson" }.sorted())
        for name in gzipped {
            let zcat = try runCommand(
                "/bin/sh", ["-c", "zcat \"$0\" > \"$1\"", "\(work.path)/aws/\(name)", "\(work.path)/zcat.out"])
            #expect(zcat.status == 0)
            let ndjson = contents("\(work.path)/plain/\(name.dropLast(3)).ndjson")
            #expect(ndjson == contents(work.path + "/zcat.out"))
            #expect(ndjson == batches.first { "\($0.day.folderName)/\($0.name)" == name }?.ndjson)
        }
        // A directory filled by `aws s3 sync` is adopted: every file's MD5 equals its ETag, nothing is downloaded.
        let adopt = try bucket.sluiceLogs([
            "sync", "src1", "--all", "--bucket", "seg-logs/pfx", "--dir", work.path + "/aws",
        ])
        #expect(adopt.status == 0 && adopt.output.contains("\(batches.count) files: 0 downloaded"), "\(adopt.output)")
        #expect(adopt.output.contains("verified   1795392000000/"))
        await bucket.stop()
    }

    @Test func daysListsWhatAwsS3LsShowsAndCatStreamsTheDay() async throws {
        let (bucket, batches) = try await layout()
        let days = try bucket.sluiceLogs(["days", "src1", "--bucket", "seg-logs/pfx"])
        #expect(days.status == 0, "\(days.output)")
        let lines = days.output.split(separator: "\n").map(String.init)
        let day = batches.filter { $0.day == Self.nov24 }
        let bytes = day.reduce(Int64(0)) { $0 + Int64($1.gzip.count) }
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("Monday 23 November 2026") && lines[1].contains(" 3 "))
        #expect(lines[2].hasPrefix("Tuesday 24 November 2026") && lines[2].contains(" 25 "))
        #expect(lines[2].hasSuffix(ByteCount.format(bytes)))
        let ls = try bucket.aws(["s3", "ls", "s3://seg-logs/pfx/segment-logs/src1/"])
        let folders = ls.output.split(separator: "\n").compactMap { $0.split(separator: " ").last }.map {
            $0.dropLast()
        }
        #expect(folders == ["1795392000000", "1795478400000"])
        #expect(lines[1].contains(String(folders[0])) && lines[2].contains(String(folders[1])))

        let cat = try bucket.sluiceLogs(["cat", "src1", "--day", "2026-11-24", "--bucket", "seg-logs/pfx"])
        #expect(cat.status == 0)
        #expect(Array(cat.output.utf8) == day.sorted { $0.name < $1.name }.flatMap(\.ndjson))
        let grep = try bucket.sluiceLogs(
            ["cat", "src1", "--day", "2026-11-24", "--grep", "Signed Up", "--bucket", "seg-logs/pfx"])
        let matched = grep.output.split(separator: "\n")
        #expect(matched.count == day.reduce(0) { $0 + $1.signedUp })
        #expect(matched.allSatisfy { $0.contains(#""event":"Signed Up""#) })
        await bucket.stop()
    }

    @Test func errorsSayWhatIsWrong() async throws {
        let (bucket, _) = try await layout()
        let source = try bucket.sluiceLogs(["days", "nosuch", "--bucket", "seg-logs/pfx"])
        #expect(source.status != 0 && source.output.contains("no folder pfx/segment-logs/nosuch/"))
        #expect(source.output.contains("Sources with logs there: src1"))
        let day = try bucket.sluiceLogs(["sync", "src1", "--day", "2026-11-20", "--bucket", "seg-logs/pfx"])
        #expect(day.status != 0 && day.output.contains("no files for source src1 on 2026-11-20"))
        let missing = try bucket.sluiceLogs(["days", "src1", "--bucket", "no-such-bucket"])
        #expect(missing.status != 0 && missing.output.contains("Bucket no-such-bucket does not exist"))
        let badDate = try bucket.sluiceLogs(["cat", "src1", "--day", "24/11/2026", "--bucket", "seg-logs/pfx"])
        #expect(badDate.status != 0 && badDate.output.contains("YYYY-MM-DD"))

        // moto evaluates bucket policies on object requests (without conditions): deny every GetObject.
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::seg-logs/*"}]}"#
        let put = try bucket.aws(["s3api", "put-bucket-policy", "--bucket", "seg-logs", "--policy", policy])
        #expect(put.status == 0, "\(put.output)")
        let work = try TemporaryDirectory("logs-denied")
        defer { work.remove() }
        let denied = try bucket.sluiceLogs(
            ["sync", "src1", "--day", "2026-11-23", "--bucket", "seg-logs/pfx", "--dir", work.path])
        #expect(denied.status != 0 && denied.output.contains("Access denied"), "\(denied.output)")
        #expect(denied.output.contains("s3:GetObject on arn:aws:s3:::seg-logs/*"))
        #expect(regularFiles(work.path).isEmpty)
        await bucket.stop()
    }

    @Test func regionIsDiscovered() async throws {
        let bucket = try await MotoBucket.start(bucket: "seg-eu", region: "eu-west-1")
        try await bucket.upload([try .make(day: Self.nov24, index: 0, events: 4)], prefix: "p", source: "src1")
        let days = try bucket.sluiceLogs(["days", "src1", "--bucket", "seg-eu/p"])
        #expect(days.status == 0 && days.output.contains("Tuesday 24 November 2026"), "\(days.output)")
        await bucket.stop()
    }
}
