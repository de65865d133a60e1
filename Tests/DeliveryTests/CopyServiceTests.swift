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

    @Test func aFailingDestinationIsRetriedBeforeTheNextScheduledRun() async throws {
        try await StagedFixture.with(files: 1) { fixture in
            let destination = try await fixture.addDestination("bucket-one")
            let clock = Clock(utc(2026, 11, 24, 10, 41))
            let service = CopyService(
                runner: fixture.runner([:]), catalog: fixture.catalog, schedule: .hourly(minute: 40),
                now: { clock.now }, logger: fixture.logger)
            try await fixture.catalog.setLastScheduledRun(utc(2026, 11, 24, 10, 40))
            #expect(try await service.nextWake().at == utc(2026, 11, 24, 11, 40))
            // The 10:40 run failed for this destination (twice in a row): retried 2 minutes after the last try.
            try await fixture.catalog.recordRun(
                destinationID: destination.id, atMilliseconds: utc(2026, 11, 24, 10, 40), error: "x")
            try await fixture.catalog.recordRun(
                destinationID: destination.id, atMilliseconds: utc(2026, 11, 24, 10, 42), error: "x")
            let wake = try await service.nextWake()
            #expect(wake.at == utc(2026, 11, 24, 10, 44) && wake.only == [destination.id])
            // After downtime, the missed scheduled run comes first, at once.
            clock.set(utc(2026, 11, 24, 13, 5))
            let late = try await service.nextWake()
            #expect(late.at == utc(2026, 11, 24, 13, 5) && late.only == nil)
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
