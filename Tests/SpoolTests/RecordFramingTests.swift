import Testing

@testable import Spool

@Suite struct RecordFramingTests {
    @Test func encodesTheDocumentedLayout() {
        var bytes: [UInt8] = []
        RecordFraming.append(kind: 2, sequence: 0x0102_0304_0506_0708, payload: [0xAA, 0xBB], to: &bytes)
        #expect(bytes.count == 19)
        #expect(bytes[0..<4] == [15, 0, 0, 0])  // length of the rest: crc 4 + kind 1 + seq 8 + payload 2
        #expect(bytes[8] == 2)
        #expect(Array(bytes[9..<17]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(Array(bytes[17...]) == [0xAA, 0xBB])
        let crc = bytes[8...].withUnsafeBytes { RecordFraming.checksum($0) }
        #expect(Array(bytes[4..<8]) == withUnsafeBytes(of: crc.littleEndian) { Array($0) })
    }

    @Test(arguments: [1 as UInt64, 2, 3, 42, 1000])
    func roundTripsRandomRecords(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var expected: [SpoolRecord] = []
        var bytes: [UInt8] = []
        for index in 0..<Int.random(in: 1...200, using: &generator) {
            let size = Int.random(in: 0...(index % 10 == 0 ? 70_000 : 300), using: &generator)
            let record = SpoolRecord(
                sequence: UInt64(index + 1) * 3, kind: UInt8.random(in: 0...255, using: &generator),
                payload: payload(size, seed: generator.next()))
            RecordFraming.append(kind: record.kind, sequence: record.sequence, payload: record.payload, to: &bytes)
            expected.append(record)
        }
        let decoded = RecordFraming.decodeAll(bytes)
        #expect(decoded.records == expected)
        #expect(decoded.validEnd == bytes.count)
        #expect(decoded.stop == .end)
    }

    /// Property: for any cut point or any single flipped byte, the decoder yields exactly the records that lie
    /// wholly before the damage, and `validEnd` is the end of the last of them.
    @Test(arguments: [7 as UInt64, 8, 9])
    func stopsAtTheFirstDamagedRecord(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for index in 0..<20 {
            let size = Int.random(in: 0...64, using: &generator)
            RecordFraming.append(
                kind: 1, sequence: UInt64(index + 1), payload: payload(size, seed: UInt64(index)), to: &bytes)
            ends.append(bytes.count)
        }
        for cut in 0..<bytes.count {
            let decoded = RecordFraming.decodeAll(Array(bytes[..<cut]))
            let whole = ends.filter { $0 <= cut }
            #expect(decoded.records.count == whole.count)
            #expect(decoded.validEnd == (whole.last ?? 0))
            #expect(decoded.stop == (cut == (whole.last ?? 0) ? .end : .incomplete))
        }
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[position] ^= 0x10
            let decoded = RecordFraming.decodeAll(damaged)
            let intact = ends.filter { $0 <= position }
            #expect(decoded.records.count == intact.count, "flipped byte \(position)")
            #expect(decoded.validEnd == (intact.last ?? 0))
            #expect(decoded.stop != .end)
        }
    }

    @Test func rejectsImpossibleLengths() {
        let tooShort: [UInt8] = [3, 0, 0, 0] + [UInt8](repeating: 0, count: 20)
        #expect(RecordFraming.decodeAll(tooShort).stop == .corrupt(.invalidLength))
        let zeros = [UInt8](repeating: 0, count: 64)
        #expect(RecordFraming.decodeAll(zeros).stop == .corrupt(.invalidLength))
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F] + [UInt8](repeating: 0, count: 20)
        #expect(RecordFraming.decodeAll(huge).stop == .corrupt(.invalidLength))
    }

    @Test func segmentHeaderAndNamesRoundTrip() {
        let header = SegmentHeader(firstSequence: 123_456)
        #expect(SegmentHeader.decode(header.encoded()) == header)
        var damaged = header.encoded()
        damaged[10] ^= 1
        #expect(SegmentHeader.decode(damaged) == nil)
        #expect(SegmentHeader.decode(Array(header.encoded().prefix(19))) == nil)
        let name = SegmentHeader.fileName(firstSequence: 42)
        #expect(name == "00000000000000000042.spool")
        #expect(SegmentHeader.firstSequence(fileName: name) == 42)
        #expect(SegmentHeader.firstSequence(fileName: "LOCK") == nil)
        #expect(SegmentHeader.firstSequence(fileName: "0000000000000000004x.spool") == nil)
    }
}
