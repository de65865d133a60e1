import ArchiveFormat
import Foundation
import SluiceTesting
import Testing

/// `--destination` reads a destination's bucket, prefix and endpoint from the catalog: the same days and bytes as
/// pointing `--bucket` at it by hand.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled))
struct DestinationLogsTests {
    @Test func destinationResolvesBucketPrefixAndEndpoint() async throws {
        let bucket = try await MotoBucket.start()
        let data = try TemporaryDirectory("logs-destination")
        defer { data.remove() }
        func sluice(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try runCommand(
                SluiceServerProcess.binaryPath, arguments + ["--data-dir", data.path], environment: bucket.environment)
        }
        let created = try sluice(["sources", "create", "web", "--json"])
        let source = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])
        let sourceID = try #require(source["id"] as? String)
        let added = try sluice(
            [
                "destinations", "add", "web", "seg-logs/team/a", "--endpoint", bucket.moto.endpoint, "--region",
                "us-east-1", "--json",
            ])
        #expect(added.status == 0, "\(added.output)")
        let listed = try sluice(["destinations", "list", "--json"])
        let destinationID = try #require(
            listed.output.firstMatch(of: /"id"\s*:\s*"([^"]+)"/).map { String($0.output.1) }, "\(listed.output)")

        let day = ReceivedDay(containing: 1_795_478_400_000)
        let batches = try (0..<3).map { try SyntheticBatch.make(day: day, index: $0, events: 10) }
        try await bucket.upload(batches, prefix: "team/a", source: sourceID)

        let viaDestination = try sluice(["logs", "days", "web", "--destination", destinationID])
        #expect(viaDestination.status == 0, "\(viaDestination.output)")
        let viaBucket = try sluice([
            "logs", "days", sourceID, "--bucket", "seg-logs/team/a", "--endpoint", bucket.moto.endpoint,
        ])
        #expect(viaDestination.output == viaBucket.output)
        #expect(viaDestination.output.contains("Tuesday 24 November 2026") && viaDestination.output.contains(" 3 "))

        let work = try TemporaryDirectory("logs-destination-sync")
        defer { work.remove() }
        let synced = try sluice([
            "logs", "sync", "web", "--destination", destinationID, "--day", "2026-11-24", "--dir", work.path,
        ])
        #expect(synced.status == 0, "\(synced.output)")
        for batch in batches {
            #expect(contents(work.path + "/" + day.folderName + "/" + batch.name) == batch.gzip)
        }

        let other = try sluice(["sources", "create", "api"])
        #expect(other.status == 0)
        let wrongSource = try sluice(["logs", "days", "api", "--destination", destinationID])
        #expect(wrongSource.status != 0)
        #expect(wrongSource.output.contains("belongs to source"))
        let missing = try sluice(["logs", "days", "web", "--destination", "nope"])
        #expect(missing.status != 0 && missing.output.contains("no destination"))
        await bucket.stop()
    }
}
