import ArchiveFormat
import Foundation
import SluiceTesting
import Testing

/// A sync killed with SIGKILL resumes without downloading completed files again, and never leaves a partial
/// file under a final name.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled))
struct InterruptTests {
    @Test func killedSyncResumesWithoutRedownloading() async throws {
        let bucket = try await MotoBucket.start()
        let day = ReceivedDay(containing: 1_795_478_400_000)
        var batches: [SyntheticBatch] = []
        for index in 0..<40 { batches.append(try .make(day: day, index: index, events: 60, padding: 6000)) }
        try await bucket.upload(batches, prefix: "pfx", source: "src1")
        let work = try TemporaryDirectory("logs-interrupt")
        defer { work.remove() }
        let arguments = [
            "logs", "sync", "src1", "--day", "2026-11-24", "--bucket", "seg-logs/pfx", "--endpoint",
            bucket.moto.endpoint, "--dir", work.path, "--concurrency", "1",
        ]

        let first = try ChildProcess.launch(
            SluiceServerProcess.binaryPath, arguments, environment: bucket.environment, logName: "logs-sync")
        try await Poll.until("three files synced", timeout: .seconds(60), every: .milliseconds(2)) {
            regularFiles(work.path).count >= 3 || !first.isRunning
        }
        first.kill(SIGKILL)
        let completed = regularFiles(work.path)
        #expect(completed.count < batches.count, "the sync finished before it could be interrupted")
        let expected = Dictionary(uniqueKeysWithValues: batches.map { ("\(day.folderName)/\($0.name)", $0.gzip) })
        for path in completed {
            #expect(contents(work.path + "/" + path) == expected[path], "partial file under the final name \(path)")
        }

        let second = try runCommand(SluiceServerProcess.binaryPath, arguments, environment: bucket.environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("40 files: \(40 - completed.count) downloaded"), "\(second.output)")
        #expect(regularFiles(work.path) == expected.keys.sorted())
        for (path, bytes) in expected { #expect(contents(work.path + "/" + path) == bytes) }
        #expect((try FileManager.default.contentsOfDirectory(atPath: work.path + "/.sluice/tmp")).isEmpty)

        let gets = bucket.moto.requestLog().filter { $0.contains("\"GET /seg-logs/pfx/segment-logs/") }
        for path in completed {
            let count = gets.filter { $0.contains("/\(path)?") || $0.contains("/\(path) ") }.count
            #expect(count == 1, "\(path) was downloaded \(count) times")
        }
        // Every object once, plus at most the one whose download the kill cut short.
        let total = gets.filter { $0.contains("response-content-encoding") }.count
        #expect(total >= batches.count && total <= batches.count + 1, "\(total) GETs")
        await bucket.stop()
    }
}
