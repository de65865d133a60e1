import Testing

@testable import Spool

@Suite struct SegmentTests {
    private func smallSegments(_ directory: TemporaryDirectory) -> SpoolConfiguration {
        var settings = configuration(directory)
        settings.segmentBytes = 1000
        return settings
    }

    @Test func rollsReleasesAndReplaysTheRest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Spool.open(configuration: smallSegments(directory), logger: quietLogger)
        for index in 0..<50 { _ = try await spool.append(kind: 1, payload: payload(100, seed: UInt64(index))) }
        // 117 bytes a record: 9 fit before the 1000-byte threshold is crossed, so segments start at 1, 10, 19, ...
        let files = try directory.segmentFiles()
        #expect(files.count == 6)
        #expect(spool.usage.segmentCount == 6)

        spool.release(below: 20)  // segments [1...9] and [10...18] are wholly below 20; [19...27] is not
        #expect(try directory.segmentFiles() == Array(files.dropFirst(2)))
        #expect(try spool.records().first?.sequence == 19)
        #expect(try spool.records(from: 30).map(\.sequence) == Array(30...50))

        spool.release(below: 1_000)  // never the active segment
        let remaining = try directory.segmentFiles()
        #expect(remaining == [files[files.count - 1]])
        let usage = spool.usage
        #expect(usage.segmentCount == 1)
        #expect(usage.lastSequence == 50)
        spool.close()

        let reopened = try Spool.open(configuration: smallSegments(directory), logger: quietLogger)
        defer { reopened.close() }
        let retained = try reopened.records()
        #expect(retained.map(\.sequence) == Array(46...50))
        #expect(retained.last?.payload == payload(100, seed: 49))
        #expect(reopened.usage.retainedBytes == usage.retainedBytes + SegmentHeader.size, "plus a new segment")
        #expect(reopened.usage.lastSequence == 50)
        #expect(try await reopened.append(kind: 1, payload: []) == 51)
    }

    @Test func reopeningStartsOneNewSegmentAndKeepsNumbering() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        #expect(try await first.appendMany(kind: 1, payloads: [[1], [2], [3]]) == 1..<4)
        first.close()
        try Spool.open(configuration: configuration(directory), logger: quietLogger).close()
        let third = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        #expect(third.usage.segmentCount == 2, "an empty last segment is reused")
        third.release(below: 100)
        #expect(third.usage.segmentCount == 1)
        third.close()
        let fourth = try Spool.open(configuration: configuration(directory), logger: quietLogger)
        defer { fourth.close() }
        #expect(fourth.usage.lastSequence == 3, "numbering survives releasing every record")
        #expect(try fourth.records().isEmpty)
        #expect(try await fourth.append(kind: 1, payload: [4]) == 4)
    }

    @Test func quotaRefusesAdmissionUntilSegmentsAreReleased() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = smallSegments(directory)
        settings.maxBytes = 3000
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        defer { spool.close() }
        var sequence: UInt64 = 0
        while (try? spool.admission()) != nil {
            sequence = try await spool.append(kind: 1, payload: payload(100, seed: 1))
        }
        let error = #expect(throws: SpoolError.self) { try spool.admission() }
        #expect(error?.code == .full)
        #expect(error?.message.contains("maxBytes") == true)
        let refused = await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [1]) }
        #expect(refused?.code == .full)

        spool.release(below: sequence)
        try spool.admission()
        #expect(try await spool.append(kind: 1, payload: [1]) == sequence + 1)
    }

    @Test func quotaExemptKindsAreAppendedOverTheQuota() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = smallSegments(directory)
        settings.maxBytes = 3000
        settings.quotaExemptKinds = [2]
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        defer { spool.close() }
        var sequence: UInt64 = 0
        while (try? spool.admission()) != nil {
            sequence = try await spool.append(kind: 1, payload: payload(100, seed: 1))
        }
        let refused = await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [1]) }
        #expect(refused?.code == .full)
        #expect(try await spool.append(kind: 2, payload: [7]) == sequence + 1)
    }

    @Test func lowFreeDiskRefusesAdmission() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.minFreeDiskBytes = Int.max
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        defer { spool.close() }
        let error = #expect(throws: SpoolError.self) { try spool.admission() }
        #expect(error?.code == .full)
        #expect(error?.message.contains("minFreeDiskBytes") == true)
        await #expect(throws: SpoolError.self) { try await spool.append(kind: 1, payload: [1]) }
        #expect(spool.usage.freeDiskBytes > 0)
    }

    @Test func replayStreamsRecordsLargerThanOneReadChunk() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = configuration(directory)
        settings.maxPayloadBytes = 3 << 20
        let spool = try Spool.open(configuration: settings, logger: quietLogger)
        let sizes = [10, 3 << 20, 5, (1 << 20) - 30, 2 << 20, 0]
        for (index, size) in sizes.enumerated() {
            _ = try await spool.append(kind: 1, payload: payload(size, seed: UInt64(index)))
        }
        spool.close()
        let reopened = try Spool.open(configuration: settings, logger: quietLogger)
        defer { reopened.close() }
        let records = try reopened.records()
        #expect(records.map(\.payload.count) == sizes)
        #expect(records[1].payload == payload(3 << 20, seed: 1))
    }
}
