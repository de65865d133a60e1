import Deflate
import Testing

@testable import Logs

@Suite struct StreamTests {
    func inflate(_ bytes: [UInt8], chunk: Int) throws(LogsError) -> [UInt8] {
        let stream = try GzipStream()
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try Array(bytes[offset..<end]).withBytes { input throws(LogsError) in
                try stream.feed(input) { output.append(contentsOf: $0) }
            }
            offset = end
        }
        try stream.finish()
        return output
    }

    @Test(arguments: [1, 7, 4096, 1 << 20])
    func concatenatedMembersInAnyChunking(chunk: Int) throws {
        let first = Array(String(repeating: "{\"event\":\"a\"}\n", count: 40_000).utf8)
        let second = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let packed = Gzip.compress(first) + Gzip.compress(second) + Gzip.compress([UInt8]())
        #expect(try inflate(packed, chunk: chunk) == first + second)
    }

    @Test func truncatedCorruptAndTrailingGarbageFail() {
        let packed = Gzip.compress(Array("hello\n".utf8))
        #expect(throws: LogsError.self) { try inflate(Array(packed.dropLast(3)), chunk: 64) }
        #expect(throws: LogsError.self) { try inflate(Array("hello\n".utf8), chunk: 64) }
        #expect(throws: LogsError.self) { try inflate(packed + Array("junk".utf8), chunk: 64) }
        #expect(throws: LogsError.self) { try inflate([], chunk: 64) }
    }

    @Test func lineSplitterCarriesPartialLines() throws {
        var splitter = LineSplitter()
        var lines: [String] = []
        for piece in ["a\nb", "c", "\n\nd"] {
            try Array(piece.utf8).withBytes { bytes throws(LogsError) in
                try splitter.feed(bytes) { lines.append(String(decoding: $0, as: UTF8.self)) }
            }
        }
        try splitter.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["a", "bc", "", "d"])
    }

    @Test func eventFilterMatchesOnlyTheTopLevelEventName() {
        let filter = EventFilter(event: "Order \"Big\" Completed")
        #expect(filter.matches(Array(#"{"event":"Order \"Big\" Completed","type":"track"}"#.utf8)))
        #expect(!filter.matches(Array(#"{"event":"Other","properties":{"event":"Order \"Big\" Completed"}}"#.utf8)))
        #expect(!filter.matches(Array(#"{"event":"Order Completed"}"#.utf8)))
        #expect(!filter.matches(Array("not json \"Order \\\"Big\\\" Completed\"".utf8)))
    }

    @Test func errorsMapToActionableMessages() {
        let denied = LogsError.from(
            .init(code: .accessDenied, httpStatus: 403, bucket: "b", message: "x", operation: "GetObject"), bucket: "b")
        #expect(denied.code == .accessDenied && denied.message.contains("s3:GetObject on arn:aws:s3:::b/*"))
        let region = LogsError.from(
            .init(code: .permanentRedirect, httpStatus: 301, bucket: "b", message: "in eu-west-1"), bucket: "b")
        #expect(region.code == .wrongRegion && region.message.contains("Leave --region out"))
        let missing = LogsError.from(.init(code: .noSuchBucket, httpStatus: 404, message: "x"), bucket: "b")
        #expect(missing.code == .bucketNotFound && missing.message.contains("Bucket b does not exist"))
    }
}
