import Testing

@testable import Pipeline

/// The batching state machine with plain values: one batch per (source, day), members at `memberBytes`, closes by
/// size, age, day end and flush, and the memory budget across many sources.
@Suite struct OpenBatchesTests {
    static let day: Int64 = 1_764_000_000_000 - 1_764_000_000_000 % 86_400_000

    func machine(_ configure: (inout BatchingPolicy) -> Void = { _ in }) -> OpenBatches {
        var policy = BatchingPolicy()
        configure(&policy)
        let counter = Counter()
        return OpenBatches(policy: policy, newUUID: { counter.next() })
    }

    final class Counter: @unchecked Sendable {
        var n = 0
        func next() -> String { n += 1; return "uuid-\(n)" }
    }

    func record(_ source: String, _ bytes: Int, day: Int64 = day) -> EventsRecord {
        EventsRecord(
            key: BatchKey(sourceID: source, day: day), receivedAtMilliseconds: day + 1, eventCount: 1,
            lines: [UInt8](repeating: UInt8(ascii: "x"), count: bytes - 1) + [UInt8(ascii: "\n")])
    }

    @Test func oneBatchPerSourceAndDay() {
        var m = machine()
        _ = m.append(record("a", 10), sequence: 1, now: Self.day)
        _ = m.append(record("a", 10), sequence: 2, now: Self.day)
        _ = m.append(record("b", 10), sequence: 3, now: Self.day)
        _ = m.append(record("a", 10, day: Self.day + 86_400_000), sequence: 4, now: Self.day)
        #expect(m.batches.count == 3)
        #expect(m.batches[BatchKey(sourceID: "a", day: Self.day)]?.eventCount == 2)
        #expect(m.lowestSequence == 1)
        #expect(m.pendingBytes == 40)
    }

    @Test func aMemberIsCutAtMemberBytes() {
        var m = machine { $0.memberBytes = 100 }
        #expect(m.append(record("a", 60), sequence: 1, now: Self.day).isEmpty)
        let actions = m.append(record("a", 60), sequence: 2, now: Self.day)
        guard case .writeMember(_, let bytes)? = actions.first else {
            Issue.record("expected a member, got \(actions)")
            return
        }
        #expect(bytes.count == 120)
        #expect(m.pendingBytes == 0)
    }

    @Test func closesBeforeTheOutputWouldPassMaxBytes() throws {
        var m = machine {
            $0.memberBytes = 1000
            $0.maxBatchBytes = 10_000
        }
        let key = BatchKey(sourceID: "a", day: Self.day)
        var closed: ClosingBatch? = nil
        var sequence: UInt64 = 0
        var written = 0
        while closed == nil && sequence < 1000 {
            sequence += 1
            for action in m.append(record("a", 1000), sequence: sequence, now: Self.day) {
                guard case .writeMember(let handle, let bytes) = action else { continue }
                written += bytes.count
                for result in m.memberWritten(handle, queued: bytes.count, written: bytes.count) {
                    if case .close(let batch) = result { closed = batch }
                }
            }
        }
        let batch = try #require(closed)
        #expect(batch.reason == .size)
        #expect(written + batch.remainder.count <= 10_000)
        #expect(batch.firstSequence == 1 && batch.lastSequence == sequence)
        #expect(m.batches[key] == nil)
    }

    @Test func closesByAgeAndAtDayEnd() {
        var m = machine { $0.maxBatchAgeMilliseconds = 1000 }
        _ = m.append(record("young", 10), sequence: 1, now: Self.day + 5000)
        _ = m.append(record("old", 10), sequence: 2, now: Self.day)
        let aged = m.closeDue(now: Self.day + 5500)
        #expect(aged.count == 1)
        if case .close(let batch)? = aged.first {
            #expect(batch.handle.key.sourceID == "old" && batch.reason == .age)
        }
        let dayEnd = m.closeDue(now: Self.day + 86_400_000)
        if case .close(let batch)? = dayEnd.first {
            #expect(batch.handle.key.sourceID == "young" && batch.reason == .dayEnd)
        } else {
            Issue.record("no day-end close")
        }
        #expect(m.batches.isEmpty && m.pendingBytes == 0)
    }

    @Test func closeAllHandsOverRemaindersAndANewBatchStartsFresh() {
        var m = machine()
        _ = m.append(record("a", 10), sequence: 1, now: Self.day)
        let closes = m.closeAll(.flush)
        #expect(closes.count == 1)
        if case .close(let batch)? = closes.first { #expect(batch.remainder.count == 10 && batch.reason == .flush) }
        _ = m.append(record("a", 10), sequence: 2, now: Self.day)
        #expect(m.batches.values.first?.handle.uuid == "uuid-2")
        #expect(m.lowestSequence == 2)
    }

    @Test func manySourcesStayWithinThePendingBudget() {
        var m = machine {
            $0.pendingBudgetBytes = 100_000
            $0.memberBytes = 1 << 20
        }
        var members = 0
        for n in 0..<10_000 {
            for action in m.append(record("s\(n)", 100), sequence: UInt64(n + 1), now: Self.day) {
                if case .writeMember = action { members += 1 }
            }
            #expect(m.pendingBytes <= 100_000)
        }
        #expect(m.batches.count == 10_000)
        #expect(members > 0)
    }
}
