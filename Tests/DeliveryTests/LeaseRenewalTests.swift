import Catalog
import Delivery
import SluiceTesting
import Synchronization
import Testing

/// A copy that takes longer than its lease keeps the lease by renewing it: a second node draining all the while
/// gets nothing, and every copy is recorded by the node that made it.
@Suite struct LeaseRenewalTests {
    final class Flag: Sendable {
        let value = Atomic(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    func runner(_ fixture: StagedFixture, _ bucket: MemoryBucket, owner: String) -> CopyRunner {
        let copier = DestinationCopier(
            staging: fixture.staging, attempts: 1, sleep: { _ in }, now: { wallMilliseconds() },
            logger: fixture.logger)
        return CopyRunner(
            catalog: fixture.catalog, staging: fixture.staging,
            connector: MemoryConnector(buckets: ["bucket-one": bucket]), copier: copier,
            leases: CopyLeaseSettings(owner: owner, leaseSeconds: 1), logger: fixture.logger)
    }

    @Test func aCopyLongerThanTheLeaseKeepsItByRenewalAndAnotherNodeGetsNothing() async throws {
        try await StagedFixture.with(files: 3) { fixture in
            let destination = try await fixture.addDestination("bucket-one")
            let bucket = MemoryBucket()
            // Three files of 0.8 s each in one claimed batch: 2.4 s of copying on a 1 s lease.
            await bucket.slow(.milliseconds(800))
            try await fixture.catalog.requestCopyRun(nowMilliseconds: wallMilliseconds())
            let a = runner(fixture, bucket, owner: "a")
            let b = runner(fixture, bucket, owner: "b")
            let finished = Flag()
            let (first, second) = try await withThrowingTaskGroup(of: (CopyRunReport?, Int).self) { group in
                group.addTask {
                    let report = try await a.drain()
                    finished.set()
                    return (report, 0)
                }
                group.addTask {
                    // Once a holds the work (its first upload began), the other node keeps draining while a
                    // copies; each drain ends at once when nothing is due.
                    try await Poll.until("a to start copying", timeout: .seconds(30)) { await bucket.putsStarted > 0 }
                    var delivered = 0
                    while !finished.isSet {
                        delivered += try await b.drain().deliveredFiles
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    return (nil, delivered)
                }
                var first: CopyRunReport?
                var second = 0
                for try await (report, delivered) in group {
                    if let report { first = report } else { second = delivered }
                }
                return (try #require(first), second)
            }
            #expect(first.deliveredFiles == 3 && first.destinations.first?.lostLeases == 0)
            #expect(second == 0)
            #expect(await bucket.puts.values.reduce(0, +) == 3)
            #expect(try await fixture.catalog.deliveredKeys(destinationID: destination.id) == Set(fixture.keys))
        }
    }
}
