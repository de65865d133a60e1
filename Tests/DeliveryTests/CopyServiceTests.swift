import Catalog
@testable import Delivery
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite struct CopyServiceTests {
    /// A wall clock the test moves.
    final class Clock: Sendable {
        let value: Mutex<Int64>
        init(_ value: Int64) { self.value = Mutex(value) }
        var now: Int64 { value.withLock { $0 } }
        func set(_ new: Int64) { value.withLock { $0 = new } }
    }

    @Test func theServiceRunsContinuouslyAndStopsOnGracefulShutdown() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            let runner = fixture.runner(["bucket-one": bucket])
            let service = CopyService(
                runner: runner, catalog: fixture.catalog, schedule: .continuous(everySeconds: 1),
                now: { wallMilliseconds() },
                logger: fixture.logger)
            let group = ServiceGroup(services: [service], logger: fixture.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await pollUntil { await bucket.objects.count == 3 }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try await fixture.catalog.lastScheduledRun() != nil)
        }
    }

    @Test func ofTwoNodesSeeingThe40RunDueExactlyOneStartsIt() async throws {
        try await StagedFixture.with(files: 2) { fixture in
            _ = try await fixture.addDestination("bucket-one")
            let clock = Clock(utc(2026, 11, 24, 10, 41))
            try await fixture.catalog.setLastScheduledRun(utc(2026, 11, 24, 9, 40))
            let services = (0..<2).map { _ in
                CopyService(
                    runner: fixture.runner([:]), catalog: fixture.catalog, schedule: .hourly(minute: 40),
                    now: { clock.now }, logger: fixture.logger)
            }
            let started = try await withThrowingTaskGroup(of: Bool.self) { group in
                for service in services { group.addTask { try await service.startDueRun(startedAt: 0) } }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            #expect(started == 1)
            #expect(try await fixture.catalog.copyWorkCounts(nowMilliseconds: clock.now).due == 2)
        }
    }

    @Test func eachSlotStartsOnceAndAFailingDestinationComesBackAfterItsBackoff() async throws {
        try await StagedFixture.with(files: 1) { fixture in
            let destination = try await fixture.addDestination("bucket-one")
            let clock = Clock(utc(2026, 11, 24, 10, 41))
            let bucket = MemoryBucket()
            await bucket.fail(with: DeliveryError(.accessDenied, "denied"))
            let copier = DestinationCopier(
                staging: fixture.staging, attempts: 1, sleep: { _ in }, now: { clock.now }, logger: fixture.logger)
            let runner = CopyRunner(
                catalog: fixture.catalog, staging: fixture.staging,
                connector: MemoryConnector(buckets: ["bucket-one": bucket]), copier: copier, logger: fixture.logger)
            let service = CopyService(
                runner: runner, catalog: fixture.catalog, schedule: .hourly(minute: 40), now: { clock.now },
                logger: fixture.logger)
            // A fresh install waits for its first slot.
            #expect(try await service.startDueRun(startedAt: clock.now) == false)
            #expect(try await service.startDueRun(startedAt: utc(2026, 11, 24, 9, 50)))
            // Two nodes see the 10:40 run due: the compare-and-set on the slot lets one start it.
            try await fixture.catalog.setLastScheduledRun(utc(2026, 11, 24, 9, 40))
            #expect(try await service.startDueRun(startedAt: 0))
            #expect(try await fixture.catalog.lastScheduledRun() == utc(2026, 11, 24, 10, 40))
            #expect(try await service.startDueRun(startedAt: 0) == false)
            // The destination fails: its work waits out the destination backoff (1 minute after one failure).
            #expect(try await runner.drain().failed.count == 1)
            #expect(try await fixture.catalog.destinationState(id: destination.id)?.consecutiveFailures == 1)
            await bucket.fail(with: nil)
            #expect(try await runner.drain().deliveredFiles == 0)
            clock.set(utc(2026, 11, 24, 10, 42, 1))
            #expect(try await runner.drain().deliveredFiles == 1)
            #expect(try await fixture.catalog.destinationState(id: destination.id)?.consecutiveFailures == 0)
            // After downtime, the missed run starts at once, in the slot of now.
            clock.set(utc(2026, 11, 24, 13, 5))
            #expect(try await service.startDueRun(startedAt: 0))
            #expect(try await fixture.catalog.lastScheduledRun() == utc(2026, 11, 24, 12, 40))
        }
    }
}

func wallMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

func pollUntil(_ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(30))
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met in 30 s")
}
