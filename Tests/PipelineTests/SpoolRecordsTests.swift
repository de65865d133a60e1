import Testing

@testable import Pipeline

@Suite struct SpoolRecordsTests {
    @Test func eventsRecordRoundTrips() throws {
        let record = EventsRecord(
            key: BatchKey(sourceID: "src_1-A", day: 1_700_000_000_000 - 1_700_000_000_000 % 86_400_000),
            receivedAtMilliseconds: 1_700_000_000_123, eventCount: 2, lines: Array("{\"a\":1}\n{\"b\":\"é\"}\n".utf8))
        #expect(try EventsRecord(decoding: record.encoded()) == record)
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
