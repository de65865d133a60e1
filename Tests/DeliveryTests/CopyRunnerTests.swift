import Catalog
import Delivery
import Testing

@Suite struct CopyRunnerTests {
    @Test func deliversEveryStagedFileOnceUnderThePrefixAndRecordsIt() async throws {
        try await StagedFixture.with(files: 5) { fixture in
            let destination = try await fixture.addDestination("bucket-one/pre/fix")
            let bucket = MemoryBucket()
            let report = try await fixture.runner(["bucket-one": bucket]).run()
            #expect(report.deliveredFiles == 5 && report.failed.isEmpty)
            for key in fixture.keys {
                #expect(await bucket.objects["pre/fix/" + key] == fixture.bytes(key))
                #expect(await bucket.puts["pre/fix/" + key] == 1)
            }
            #expect(try await fixture.catalog.deliveredKeys(destinationID: destination.id) == Set(fixture.keys))
            // A second run has nothing to do.
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 0)
            #expect(await bucket.puts.values.reduce(0, +) == 5)
            let state = try await fixture.catalog.destinationState(id: destination.id)
            #expect(state?.lastSuccessMilliseconds == 1_800_000_000_000 && state?.consecutiveFailures == 0)
        }
    }

    @Test func aCopyMadeBeforeACrashIsRecordedNotRepeated() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            let destination = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            // The first file reached the bucket but the process died before the ledger write.
            await bucket.store(fixture.keys[0], try #require(fixture.bytes(fixture.keys[0])))
            let report = try await fixture.runner(["bucket-one": bucket]).run()
            #expect(report.deliveredFiles == 3)
            #expect(await bucket.puts[fixture.keys[0]] == nil)  // If-None-Match kept it; HEAD confirmed the size
            #expect(try await fixture.catalog.deliveredKeys(destinationID: destination.id).count == 3)
        }
    }

    @Test func aPutOnlyPrincipalTrustsTheDeterministicKey() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            await bucket.denyHead()
            await bucket.store(fixture.keys[1], try #require(fixture.bytes(fixture.keys[1])))
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 2)
            #expect(await bucket.puts[fixture.keys[1]] == nil)
        }
    }

    @Test func aDifferentObjectAtASluiceKeyIsReplaced() async throws {
        try await StagedFixture.with(files: 1) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            await bucket.store(fixture.keys[0], [1, 2, 3])
            #expect(try await fixture.runner(["bucket-one": bucket]).run().deliveredFiles == 1)
            #expect(await bucket.objects[fixture.keys[0]] == fixture.bytes(fixture.keys[0]))
        }
    }

    @Test func transientFailuresAreRetriedWithBackoff() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            let slowDown = DeliveryError(.unavailable, "SlowDown")
            await bucket.script(failures: [slowDown, slowDown])
            let sleeps = SleepLog()
            let report = try await fixture.runner(["bucket-one": bucket], sleeps: sleeps).run()
            #expect(report.deliveredFiles == 2)
            #expect(await sleeps.waits == [500, 1_000])
        }
    }

    @Test func oneFailingDestinationNeverBlocksAnother() async throws {
        try await StagedFixture.with(files: 4) { fixture in
            let good = try await fixture.addDestination("bucket-good")
            let bad = try await fixture.addDestination("bucket-bad", encryption: .bucketDefault)
            let (goodBucket, badBucket) = (MemoryBucket(), MemoryBucket())
            await badBucket.fail(with: DeliveryError(.accessDenied, "Access Denied"))
            let report = try await fixture.runner(["bucket-good": goodBucket, "bucket-bad": badBucket]).run()
            #expect(report.deliveredFiles == 4)
            let failure = try #require(report.failed.first)
            #expect(failure.destinationID == bad.id && failure.pendingFiles == 4)
            let message = try #require(failure.error?.message)
            #expect(message.contains("server-side encryption off") && message.contains("--sse aes256"))
            #expect(message.contains("Nothing is lost"))
            let state = try #require(try await fixture.catalog.destinationState(id: bad.id))
            #expect(
                state.consecutiveFailures == 1 && state.lastError == message && state.lastSuccessMilliseconds == nil)
            #expect(try await fixture.catalog.deliveredKeys(destinationID: good.id).count == 4)

            // The fix: turn SSE on. The next run delivers everything, once.
            var fixed = bad
            fixed.encryption = .aes256
            try await fixture.catalog.updateDestination(fixed)
            await badBucket.fail(with: nil)
            #expect(
                try await fixture.runner(["bucket-good": goodBucket, "bucket-bad": badBucket]).run().deliveredFiles == 4
            )
            let puts = await badBucket.puts
            #expect(puts.count == 4 && puts.values.allSatisfy { $0 == 1 })
            #expect(try await fixture.catalog.destinationState(id: bad.id)?.consecutiveFailures == 0)
        }
    }

    @Test func aDestinationEnabledLaterReceivesTheBacklog() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            var late = try await fixture.addDestination("bucket-late", enabled: false)
            let bucket = MemoryBucket()
            #expect(try await fixture.runner(["bucket-late": bucket]).run().deliveredFiles == 0)
            try await fixture.stage(3)
            late.enabled = true
            try await fixture.catalog.updateDestination(late)
            #expect(try await fixture.runner(["bucket-late": bucket]).run().deliveredFiles == 4)
        }
    }

    @Test func retentionDeletesOnlyWhatEveryEnabledDestinationHas() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            _ = try await fixture.addDestination("bucket-two")
            let one = MemoryBucket()
            let two = MemoryBucket()
            await two.fail(with: DeliveryError(.accessDenied, "denied"))
            let runner = fixture.runner(["bucket-one": one, "bucket-two": two], retention: .days(1))
            #expect(try await runner.run().expired.isEmpty)
            #expect(try await fixture.staging.stagedObjects().count == 3)
            await two.fail(with: nil)
            #expect(try await runner.run().expired.count == 3)
            #expect(try await fixture.staging.stagedObjects().isEmpty)
        }
    }
}
