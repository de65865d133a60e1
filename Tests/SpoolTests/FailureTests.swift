import Testing

@testable import Spool

/// A failed fdatasync must fail every waiter of its group (never a false success), and the spool must refuse
/// appends until it is reopened; reopening keeps every acknowledged record.
@Suite struct FailureTests {
    @Test func aFailedSyncFailsTheGroupAndStopsTheSpool() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.faults = SpoolFaults(failSyncAfter: 2)
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        #expect(try await spool.append(kind: 1, payload: [1]) == 1)
        #expect(try await spool.append(kind: 1, payload: [2]) == 2)
        let failed = await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [3]) }
        #expect(failed?.code == .failed)
        #expect(failed?.errno == 5)
        let later = await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [4]) }
        #expect(later?.code == .failed)
        #expect(throws: SpoolError.self) { try spool.admission() }
        spool.close()

        let reopened = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { reopened.close() }
        let records = try reopened.records()
        #expect(records.prefix(2).map(\.payload) == [[1], [2]])
        // The record whose sync failed was written and may survive; it must not be numbered twice.
        let next = try await reopened.append(kind: 1, payload: [5])
        #expect(next == UInt64(records.count + 1))
    }

    @Test func concurrentWaitersOfAFailedGroupAllGetTheError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.faults = SpoolFaults(failSyncAfter: 5)
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        let outcomes = await withTaskGroup(of: (UInt8, Result<UInt64, SpoolError>).self) { group in
            for task in 0..<32 {
                group.addTask {
                    do throws(SpoolError) {
                        return (UInt8(task), .success(try await spool.append(kind: 1, payload: [UInt8(task)])))
                    } catch {
                        return (UInt8(task), .failure(error))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        spool.close()
        var acknowledged: [UInt64: UInt8] = [:]
        for (task, outcome) in outcomes {
            switch outcome {
            case .success(let sequence): acknowledged[sequence] = task
            case .failure(let error): #expect(error.code == .failed)
            }
        }
        #expect(acknowledged.count <= 5 * 32)
        let reopened = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { reopened.close() }
        let replayed = Dictionary(uniqueKeysWithValues: try reopened.records().map { ($0.sequence, $0.payload) })
        for (sequence, task) in acknowledged { #expect(replayed[sequence] == [task], "acknowledged \(sequence)") }
    }
}
