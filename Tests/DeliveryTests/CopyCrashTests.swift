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
        // Enough files (240 uploads) that a run lasts seconds even when the test's poll is starved on a busy machine.
        try await StagedFixture.with(files: 120) { fixture in
            let harness = S3Harness(fixture: fixture, endpoint: moto.endpoint, principal: MotoDeliveryTests.testing)
            let s3 = try harness.client()
            try await s3.createBucket("seg-crash-a")
            try await s3.createBucket("seg-crash-b")
            let a = try await harness.addDestination("seg-crash-a/pre/fix", region: "us-east-1")
            let b = try await harness.addDestination("seg-crash-b", region: "us-east-1")
            let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"]
            let arguments = ["copy", "--now", "--data-dir", fixture.dir.path]
            @Sendable func puts() -> Int { moto.requestLog().filter { $0.contains("\"PUT /seg-crash-") }.count }

            var killedMidRun = 0
            for round in 0..<4 {
                let before = puts()
                let copy = try ChildProcess.launch(
                    SluiceServerProcess.binaryPath, arguments, environment: environment, logName: "sluice-copy")
                // Watched from a thread of its own: other suites' blocking child-process waits can starve the
                // cooperative pool for seconds, long enough for a whole run to finish unobserved.
                if await Self.killOnce(copy, when: { puts() >= before + 12 }) { killedMidRun += 1 }
            }
            let deliveredBefore =
                try await fixture.catalog.deliveredKeys(destinationID: a.id).count
                + fixture.catalog.deliveredKeys(destinationID: b.id).count
            #expect(killedMidRun >= 3)
            #expect(deliveredBefore > 0 && deliveredBefore < 240, "the kills should land mid-run")

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

    /// SIGKILLs `process` as soon as `condition` holds, polling every 5 ms on a dedicated thread; true when the
    /// process was still running at that moment.
    static func killOnce(_ process: ChildProcess, when condition: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let deadline = Date().addingTimeInterval(120)
                while process.isRunning && !condition() && Date() < deadline { usleep(5_000) }
                let running = process.isRunning
                process.kill(SIGKILL)
                continuation.resume(returning: running)
            }
            thread.start()
        }
    }
}
