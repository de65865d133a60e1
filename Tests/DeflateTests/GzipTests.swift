import Testing

@testable import Deflate

@Suite struct GzipTests {
    static let samples: [[UInt8]] = [
        [],
        Array("a".utf8),
        Array("{\"type\":\"track\",\"event\":\"Order Completed\"}\n".utf8),
        Array(repeating: 0x41, count: 100_000),
        (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
    ]

    @Test(arguments: samples, [0, 1, 6, 12])
    func roundTrip(bytes: [UInt8], level: Int) throws {
        let packed = Gzip.compress(bytes, level: level)
        #expect(packed.prefix(3) == [0x1F, 0x8B, 0x08])
        #expect(try Gzip.decompress(packed, maxOutputBytes: bytes.count) == bytes)
    }

    @Test func reusableCompressorWritesConcatenatedMembers() throws {
        let compressor = GzipCompressor(level: 6)
        var file: [UInt8] = []
        var expected: [UInt8] = []
        for index in 0..<20 {
            let line = Array("{\"n\":\(index)}\n".utf8)
            compressor.compress(line, appendingTo: &file)
            expected += line
        }
        #expect(try Gzip.decompress(file, maxOutputBytes: 1 << 20) == expected)
    }

    @Test func rawBufferCompression() throws {
        let text = Array("hello hello hello".utf8)
        let packed = text.withUnsafeBytes { Gzip.compress($0) }
        #expect(try Gzip.decompress(packed, maxOutputBytes: 100) == text)
    }

    @Test func exactCapSucceedsAndOneLessFails() throws {
        let bytes = Array(repeating: UInt8(7), count: 10_000)
        let packed = Gzip.compress(bytes)
        #expect(try Gzip.decompress(packed, maxOutputBytes: 10_000) == bytes)
        #expect(throws: DeflateError.self) { try Gzip.decompress(packed, maxOutputBytes: 9_999) }
    }

    @Test func bombFailsFastWithTooLarge() throws {
        let compressor = GzipCompressor(level: 9)
        let zeros = [UInt8](repeating: 0, count: 50 << 20)
        let bomb = compressor.compress(zeros)
        #expect(bomb.count < 200_000)
        let error = #expect(throws: DeflateError.self) { try Gzip.decompress(bomb, maxOutputBytes: 1 << 20) }
        #expect(error?.code == .tooLarge)
    }

    @Test func lyingSizeTrailerDoesNotDefeatTheCap() throws {
        var bomb = Gzip.compress([UInt8](repeating: 0, count: 4 << 20))
        // Claim a tiny size in ISIZE: the decompressor must still stop at the cap.
        bomb.replaceSubrange((bomb.count - 4)..., with: [16, 0, 0, 0])
        let error = #expect(throws: DeflateError.self) { try Gzip.decompress(bomb, maxOutputBytes: 1 << 20) }
        #expect(error?.code == .tooLarge)
    }

    @Test(arguments: [0, 1, 6, 12])
    func everyTruncationPointIsReportedAsTruncated(level: Int) throws {
        let text = "{\"userId\":\"u1\",\"event\":\"Signed Up\",\"n\":12345}" + String(repeating: "abcabd", count: 40)
        let packed = Gzip.compress(Array(text.utf8), level: level)
        for length in 0..<packed.count {
            let error = #expect(throws: DeflateError.self) {
                try Gzip.decompress(Array(packed.prefix(length)), maxOutputBytes: 1 << 20)
            }
            #expect(error?.code == .truncated, "length \(length) of \(packed.count)")
        }
    }

    @Test func truncatedSecondMemberIsTruncated() throws {
        let first = Gzip.compress(Array("one\n".utf8))
        let second = Gzip.compress(Array(String(repeating: "two\n", count: 50).utf8))
        for length in 1..<second.count {
            let error = #expect(throws: DeflateError.self) {
                try Gzip.decompress(first + second.prefix(length), maxOutputBytes: 1 << 20)
            }
            #expect(error?.code == .truncated, "length \(length)")
        }
    }

    @Test func invalidBlockTypeIsCorrupt() throws {
        var packed = Gzip.compress(Array(String(repeating: "corrupt me ", count: 30).utf8))
        packed[10] |= 0x06  // BTYPE 11 is reserved
        let error = #expect(throws: DeflateError.self) { try Gzip.decompress(packed, maxOutputBytes: 1 << 20) }
        #expect(error?.code == .corrupt)
    }

    @Test func randomCorruptionNeverCrashesOrSucceedsSilently() throws {
        let original = Array(String(repeating: "{\"event\":\"x\"}\n", count: 200).utf8)
        let packed = Gzip.compress(original)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var damaged = packed
            let index = Int.random(in: 10..<(packed.count - 8), using: &generator)
            damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            if let output = try? Gzip.decompress(damaged, maxOutputBytes: 1 << 20) {
                // Only possible if the damage cancels out; the CRC makes a silent change practically impossible.
                #expect(output == original)
            }
        }
    }

    @Test func truncationInHeaderOrTrailerIsReportedAsTruncated() throws {
        let packed = Gzip.compress(Array("some text".utf8))
        for length in [0, 1, 2, 5, 9, packed.count - 1, packed.count - 8] {
            let error = #expect(throws: DeflateError.self) {
                try Gzip.decompress(Array(packed.prefix(length)), maxOutputBytes: 1 << 20)
            }
            #expect(error?.code == .truncated, "length \(length)")
        }
    }

    @Test(arguments: [
        ([UInt8]("not gzip at all".utf8), "magic"),
        ([0x1F, 0x8B, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, 2], "method"),
        ([0x1F, 0x8B, 0x08, 0xE0, 0, 0, 0, 0, 0, 0, 1, 2], "reserved"),
    ])
    func corruptHeaders(bytes: [UInt8], label: String) throws {
        let error = #expect(throws: DeflateError.self) { try Gzip.decompress(bytes, maxOutputBytes: 100) }
        #expect(error?.code == .corrupt, "\(label)")
    }

    @Test func flippedCRCAndTrailingGarbageAreCorrupt() throws {
        var packed = Gzip.compress(Array("checksum me".utf8))
        packed[packed.count - 8] ^= 0xFF
        #expect(throws: DeflateError(.corrupt, "the gzip member at byte 0 fails its CRC-32 check")) {
            try Gzip.decompress(packed, maxOutputBytes: 100)
        }
        let garbage = Gzip.compress(Array("x".utf8)) + [0, 0, 0, 0]
        let error = #expect(throws: DeflateError.self) { try Gzip.decompress(garbage, maxOutputBytes: 100) }
        #expect(error?.code == .corrupt)
    }

    @Test func headerWithNameExtraAndCommentIsAccepted() throws {
        let plain = Gzip.compress(Array("named".utf8))
        // FEXTRA + FNAME + FCOMMENT, then the same deflate body and trailer.
        var header: [UInt8] = [0x1F, 0x8B, 0x08, 0x1C, 0, 0, 0, 0, 0, 3]
        header += [2, 0, 0xAB, 0xCD] + Array("file.txt".utf8) + [0] + Array("note".utf8) + [0]
        let bytes = header + plain[10...]
        #expect(try Gzip.decompress(Array(bytes), maxOutputBytes: 100) == Array("named".utf8))
    }
}
