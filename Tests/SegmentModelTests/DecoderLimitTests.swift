import Testing

@testable import SegmentModel

@Suite struct DecoderLimitTests {
    /// A single identify call padded to exactly `size` bytes.
    static func single(size: Int) -> String {
        let prefix = #"{"userId":"u","traits":{"pad":""#
        let suffix = "\"}}"
        return prefix + String(repeating: "x", count: size - prefix.utf8.count - suffix.utf8.count) + suffix
    }

    static func item(size: Int) -> String {
        let prefix = #"{"type":"identify","userId":"u","traits":{"pad":""#
        let suffix = "\"}}"
        return prefix + String(repeating: "x", count: size - prefix.utf8.count - suffix.utf8.count) + suffix
    }

    @Test func singleCallSizeBoundary() throws {
        let limits = IngestLimits()
        #expect(try Fixture.decode(Self.single(size: limits.maxSingleCallBytes), .single(.identify)).events.count == 1)
        let error = #expect(throws: SegmentError.self) {
            try Fixture.decode(Self.single(size: limits.maxSingleCallBytes + 1), .single(.identify))
        }
        #expect(error?.code == .payloadTooLarge)
        #expect(error?.code.httpStatus == 413)
    }

    @Test func eventSizeBoundaryInABatch() throws {
        let limits = IngestLimits()
        let body = "{\"batch\":[\(Self.item(size: limits.maxEventBytes)),\(Self.item(size: limits.maxEventBytes + 1))]}"
        let request = try Fixture.decode(body, .batch)
        #expect(request.events.map(\.index) == [0])
        #expect(request.rejected.map(\.code) == [.eventTooLarge])
    }

    @Test func batchRequestSizeBoundary() throws {
        let limits = IngestLimits(maxBatchRequestBytes: 1000)
        let item = #"{"type":"identify","userId":"u"}"#
        var body = "{\"batch\":[\(item)],\"pad\":\""
        body += String(repeating: "y", count: 1000 - body.utf8.count - 2) + "\"}"
        #expect(body.utf8.count == 1000)
        #expect(try Fixture.decode(body, .batch, limits: limits).events.count == 1)
        let error = #expect(throws: SegmentError.self) {
            try Fixture.decode(body + " ", .batch, limits: limits)
        }
        #expect(error?.code == .payloadTooLarge)
        #expect(IngestLimits().maxBatchRequestBytes == 500 * 1024)
    }

    @Test func eventCountBoundary() throws {
        let item = #"{"type":"identify","userId":"u"}"#
        let atLimit = "{\"batch\":[" + Array(repeating: item, count: 2500).joined(separator: ",") + "]}"
        #expect(try Fixture.decode(atLimit, .batch).events.count == 2500)
        let overLimit = "{\"batch\":[" + Array(repeating: item, count: 2501).joined(separator: ",") + "]}"
        let error = #expect(throws: SegmentError.self) { try Fixture.decode(overLimit, .batch) }
        #expect(error?.code == .tooManyEvents)
    }

    @Test func messageIDLengthBoundary() throws {
        let ok = String(repeating: "m", count: 100)
        let long = String(repeating: "m", count: 101)
        let accented = String(repeating: "é", count: 100)  // 200 bytes, 100 characters
        let body =
            #"{"batch":[{"type":"identify","userId":"u","messageId":"\#(ok)"},"#
            + #"{"type":"identify","userId":"u","messageId":"\#(long)"},"#
            + #"{"type":"identify","userId":"u","messageId":"\#(accented)"}]}"#
        let request = try Fixture.decode(body, .batch)
        #expect(request.events.map(\.index) == [0, 2])
        #expect(request.rejected.map(\.code) == [.invalidMessageID])
    }

    @Test func defaults() {
        let limits = IngestLimits()
        #expect(limits.maxSingleCallBytes == 32 * 1024)
        #expect(limits.maxEventBytes == 32 * 1024)
        #expect(limits.maxEventsPerBatch == 2500)
        #expect(limits.maxMessageIDLength == 100)
    }
}
