import Catalog
import Delivery
import Foundation
import SluiceTesting
import Testing

/// `sluice copy --now` is SIGKILLed in the middle of runs, several times; after a final run each destination
/// holds each staged file exactly once, byte-identical to the staged copy, and the ledger has every one.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct CopyCrashTests {
    @Test func aCopyKilledMidRunSeveralTimesEndsWithEveryFileOnceInEveryDestination() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try await StagedFixture.with(files: 60) { fixture in
            let harness = S3Harness(fixture: fixture, endpoint: moto.endpoint, principal: MotoDeliveryTests.testing)
            let s3 = try harness.client()
            try await s3.createBucket("seg-crash-a")
            try await s3.createBucket("seg-crash-b")
            let a = try await harness.addDestination("seg-crash-a/pre/fix", region: "us-east-1")
            let b = try await harness.addDestination("seg-crash-b", region: "us-east-1")
            let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]
            let arguments = ["copy", "--now", "--data-dir", fixture.dir.path]
            func puts() -> Int { moto.requestLog().filter { $0.contains("\"PUT /seg-crash-") }.count }

            var killedMidRun = 0
            for round in 0..<4 {
                let before = puts()
                let copy = try ChildProcess.launch(
                    SluiceServerProcess.binaryPath, arguments, environment: environment, logName: "sluice-copy")
                try await Poll.until("round \(round) uploads", timeout: .seconds(60), every: .milliseconds(20)) {
                    puts() >= before + 12 || !copy.isRunning
                }
                if copy.isRunning { killedMidRun += 1 }
                copy.kill(SIGKILL)
            }
            let deliveredBefore = try await fixture.catalog.deliveredKeys(destinationID: a.id).count
                + fixture.catalog.deliveredKeys(destinationID: b.id).count
            #expect(killedMidRun >= 3)
            #expect(deliveredBefore > 0 && deliveredBefore < 120, "the kills should land mid-run")

            let final = try ChildProcess.launch(
                SluiceServerProcess.binaryPath, arguments, environment: environment, logName: "sluice-copy")
            #expect(final.wait() == 0, "\(final.log())")
            try await harness.expectExactlyOnce(bucket: "seg-crash-a", prefix: "pre/fix", client: s3)
            try await harness.expectExactlyOnce(bucket: "seg-crash-b", client: s3)
            for destination in [a, b] {
                #expect(try await fixture.catalog.deliveredKeys(destinationID: destination.id) == Set(fixture.keys))
            }
            // A further run finds nothing owed.
            let idle = try ChildProcess.launch(
                SluiceServerProcess.binaryPath, arguments, environment: environment, logName: "sluice-copy")
            #expect(idle.wait() == 0)
            #expect(idle.log().contains("delivered 0 files"))
        }
    }
}
