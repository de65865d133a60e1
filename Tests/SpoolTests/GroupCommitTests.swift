import Testing

@testable import Spool

@Suite struct GroupCommitTests {
    @Test func concurrentAppendersShareFsyncsAndGetUniqueOrderedSequences() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        let tasks = 64
        let appendsPerTask = 200
        let results = try await withThrowingTaskGroup(of: [(UInt64, [UInt8])].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var mine: [(UInt64, [UInt8])] = []
                    for index in 0..<appendsPerTask {
                        let bytes = Array("task \(task) append \(index)".utf8)
                        mine.append((try await spool.append(kind: UInt8(task), payload: bytes), bytes))
                    }
                    // One task's appends are sequential, so its sequence numbers must increase.
                    #expect(mine.map(\.0) == mine.map(\.0).sorted())
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let total = tasks * appendsPerTask
        let acknowledged = Dictionary(uniqueKeysWithValues: results)
        #expect(acknowledged.count == total, "sequence numbers are unique")
        #expect(Set(acknowledged.keys) == Set(1...UInt64(total)))

        let usage = spool.usage
        spool.close()
        #expect(usage.committedRecords == total)
        #expect(usage.lastSequence == UInt64(total))
        let ratio = Double(usage.committedRecords) / Double(usage.commitGroups)
        print("group commit: \(usage.committedRecords) appends in \(usage.commitGroups) fsyncs, \(ratio) per fsync")
        #expect(usage.commitGroups * 4 <= usage.committedRecords, "far fewer fsyncs than appends")

        let reopened = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { reopened.close() }
        let replayed = try reopened.records()
        #expect(replayed.map(\.sequence) == Array(1...UInt64(total)), "file order is sequence order")
        for record in replayed { #expect(acknowledged[record.sequence] == record.payload) }
    }

    @Test func appendManyIsContiguous() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { spool.close() }
        _ = try await spool.append(kind: 1, payload: [0])
        let range = try await spool.appendMany(kind: 2, payloads: [[1], [2], [3]])
        #expect(range == 2..<5)
        #expect(try await spool.appendMany(kind: 2, payloads: []).isEmpty)
        #expect(try spool.records(from: 3).map(\.payload) == [[2], [3]])
    }

    @Test func oversizedPayloadsAreRejected() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.maxPayloadBytes = 10
        settings.maxGroupBytes = 100
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        defer { spool.close() }
        await #expect(throws: SpoolError.self) {
            try await spool.append(kind: 1, payload: [UInt8](repeating: 0, count: 11))
        }
        let many = [[UInt8]](repeating: [UInt8](repeating: 0, count: 10), count: 4)
        await #expect(throws: SpoolError.self) { try await spool.appendMany(kind: 1, payloads: many) }
        #expect(try await spool.append(kind: 1, payload: [UInt8](repeating: 0, count: 10)) == 1)
    }

    @Test func appendsAfterCloseAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        _ = try await spool.append(kind: 1, payload: [1])
        spool.close()
        spool.close()
        let error = await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [2]) }
        #expect(error?.code == .closed)
        #expect(throws: SpoolError.self) { try spool.admission() }
    }
}
