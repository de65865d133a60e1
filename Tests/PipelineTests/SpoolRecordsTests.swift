import Testing

@testable import Pipeline

@Suite struct SpoolRecordsTests {
    @Test func eventsRecordRoundTrips() throws {
        let record = EventsRecord(
            key: BatchKey(sourceID: "src_1-A", day: 1_700_000_000_000 - 1_700_000_000_000 % 86_400_000),
            receivedAtMilliseconds: 1_700_000_000_123, eventCount: 2, lines: Array("{\"a\":1}\n{\"b\":\"é\"}\n".utf8))
        #expect(try EventsRecord(decoding: record.encoded()) == record)
    }

    /// The layout on disk is version 1's, byte for byte, so spools written before the record was built in place
    /// still decode: version, source id (u32 length + UTF-8), day, received, event count, lines (u32 length + bytes).
    @Test func eventsRecordKeepsItsOnDiskLayout() throws {
        let lines = Array("{\"a\":1}\n".utf8)
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let expected: [UInt8] =
            [1] + le(UInt32(3)) + Array("s_1".utf8) + le(Int64(86_400_000)) + le(Int64(86_400_123)) + le(UInt32(1))
            + le(UInt32(lines.count)) + lines
        let record = EventsRecord(
            key: BatchKey(sourceID: "s_1", day: 86_400_000), receivedAtMilliseconds: 86_400_123, eventCount: 1,
            lines: lines)
        #expect(record.encoded() == expected)
        let decoded = try EventsRecord(decoding: expected)
        #expect(decoded.key == BatchKey(sourceID: "s_1", day: 86_400_000))
        #expect(decoded.receivedAtMilliseconds == 86_400_123)
        #expect(decoded.eventCount == 1)
        #expect(Array(decoded.lines) == lines)
        #expect(throws: PipelineError.self) { _ = try EventsRecord(decoding: expected + [0]) }
    }

    /// The ingest path appends lines after the header and fills in the counts at the end: the same record as one
    /// built from finished lines.
    @Test func builderMakesTheSameRecordAsFinishedLines() throws {
        let key = BatchKey(sourceID: "src", day: 0)
        var builder = EventsRecord.Builder(key: key, receivedAtMilliseconds: 42, linesCapacity: 4)
        builder.bytes.append(contentsOf: Array("{\"x\":1}\n".utf8))
        builder.bytes.append(contentsOf: Array("{\"y\":2}\n".utf8))
        let built = builder.finish(eventCount: 2)
        let plain = EventsRecord(
            key: key, receivedAtMilliseconds: 42, eventCount: 2, lines: Array("{\"x\":1}\n{\"y\":2}\n".utf8))
        #expect(built == plain)
        #expect(built.encoded() == plain.encoded())
        #expect(Array(built.lines) == Array("{\"x\":1}\n{\"y\":2}\n".utf8))
        #expect(try EventsRecord(decoding: built.encoded()) == plain)
    }

    @Test func sealRecordRoundTripsAndCoversItsRange() throws {
        let key = BatchKey(sourceID: "s", day: 86_400_000)
        let seal = SealRecord(
            key: key, firstSequence: 5, lastSequence: 9, eventCount: 40, stagingPath: "staging/open/x.gz",
            objectKey: "segment-logs/s/0086400000/1.aaaaaaaaaaaa.bbbbbbb.u.gz")
        #expect(try SealRecord(decoding: seal.encoded()) == seal)
        #expect(seal.covers(key, 5) && seal.covers(key, 9))
        #expect(!seal.covers(key, 4) && !seal.covers(key, 10))
        #expect(!seal.covers(BatchKey(sourceID: "t", day: 86_400_000), 7))
    }

    @Test func truncatedPayloadsThrowInsteadOfCrashing() {
        let encoded = EventsRecord(
            key: BatchKey(sourceID: "s", day: 0), receivedAtMilliseconds: 1, eventCount: 1, lines: [1, 2, 3]
        ).encoded()
        for cut in 0..<encoded.count {
            #expect(throws: PipelineError.self) { _ = try EventsRecord(decoding: Array(encoded.prefix(cut))) }
        }
    }
}
