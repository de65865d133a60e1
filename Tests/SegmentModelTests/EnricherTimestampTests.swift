import Testing

@testable import SegmentModel

@Suite struct EnricherTimestampTests {
    static func context(receivedAt: String) throws -> EnrichmentContext {
        var context = Fixture.context()
        context.receivedAtMilliseconds = try #require(Timestamp.milliseconds(parsing: receivedAt))
        return context
    }

    @Test(arguments: [
        (
            "2017-12-15T22:03:39.213Z", "2017-12-15T22:03:39.214Z", "2017-12-15T22:03:39.342Z",
            "2017-12-15T22:03:39.341Z"
        ),
        (
            "2019-05-01T11:44:40.184Z", "2019-05-01T11:44:40.203Z", "2019-05-01T11:44:40.452Z",
            "2019-05-01T11:44:40.433Z"
        ),
        // Python SDK: microseconds and +00:00 offsets.
        (
            "2026-11-24T18:44:05.511+00:00", "2026-11-24T18:44:05.711727+00:00", "2026-11-24T18:44:06.000Z",
            "2026-11-24T18:44:05.800Z"
        ),
        // Offsets on both sides.
        (
            "2024-01-02T04:04:05.000+01:00", "2024-01-02T03:04:06.000Z", "2024-01-02T03:04:10.000Z",
            "2024-01-02T03:04:09.000Z"
        ),
    ])
    func skewCorrection(original: String, sentAt: String, receivedAt: String, expected: String) throws {
        let body = #"{"userId":"u","event":"E","timestamp":"\#(original)","sentAt":"\#(sentAt)"}"#
        let line = try Fixture.line(body, context: try Self.context(receivedAt: receivedAt))
        #expect(try Fixture.rawValue(line, "timestamp") == "\"\(expected)\"")
        #expect(try Fixture.rawValue(line, "originalTimestamp") == "\"\(original)\"")
        #expect(try Fixture.rawValue(line, "sentAt") == "\"\(sentAt)\"")
        #expect(try Fixture.rawValue(line, "receivedAt") == "\"\(receivedAt)\"")
    }

    @Test func batchSentAtAppliesToItemsWithoutTheirOwn() throws {
        let body =
            #"{"batch":[{"type":"track","userId":"u","event":"E","timestamp":"2017-12-15T22:03:39.213Z"},"#
            + #"{"type":"track","userId":"u","event":"E","timestamp":"2017-12-15T22:03:39.213Z","sentAt":null}],"#
            + #""sentAt":"2017-12-15T22:03:39.214Z"}"#
        let lines = try Fixture.enrich(body, .batch, context: try Self.context(receivedAt: "2017-12-15T22:03:39.342Z"))
        #expect(try Fixture.rawValue(lines[0], "timestamp") == "\"2017-12-15T22:03:39.341Z\"")
        #expect(try Fixture.rawValue(lines[0], "sentAt") == "\"2017-12-15T22:03:39.214Z\"")
        // The item's own null sentAt wins and stays null; without a usable sentAt there is no skew correction.
        #expect(try Fixture.rawValue(lines[1], "sentAt") == "null")
        #expect(try Fixture.rawValue(lines[1], "timestamp") == "\"2017-12-15T22:03:39.213Z\"")
    }

    @Test func timestampWithoutSentAtIsNormalized() throws {
        let line = try Fixture.line(#"{"userId":"u","event":"E","timestamp":"2020-09-18T14:40:53Z"}"#)
        #expect(try Fixture.rawValue(line, "originalTimestamp") == "\"2020-09-18T14:40:53Z\"")
        #expect(try Fixture.rawValue(line, "timestamp") == "\"2020-09-18T14:40:53.000Z\"")
        #expect(try Fixture.rawValue(line, "sentAt") == nil)
    }

    @Test func nanosecondOriginalTimestampIsKeptVerbatim() throws {
        let line = try Fixture.line(#"{"userId":"u","timestamp":"2024-05-03T19:42:50.066179717Z"}"#, .identify)
        #expect(try Fixture.rawValue(line, "originalTimestamp") == "\"2024-05-03T19:42:50.066179717Z\"")
        #expect(try Fixture.rawValue(line, "timestamp") == "\"2024-05-03T19:42:50.066Z\"")
    }

    @Test func noClientTimestampMeansReceivedAt() throws {
        let line = try Fixture.line(#"{"userId":"u","event":"E","receivedAt":"1999-01-01T00:00:00Z"}"#)
        #expect(try Fixture.rawValue(line, "timestamp") == "\"2023-11-14T22:13:20.123Z\"")
        #expect(try Fixture.rawValue(line, "receivedAt") == "\"2023-11-14T22:13:20.123Z\"")
        #expect(try Fixture.rawValue(line, "originalTimestamp") == nil)
    }

    @Test(arguments: [#""yesterday""#, "1700000000", #""2024-01-02""#, "{}"])
    func unparseableTimestampIsKeptAsOriginal(value: String) throws {
        let line = try Fixture.line(
            #"{"userId":"u","event":"E","timestamp":\#(value),"sentAt":"2024-01-02T00:00:00Z"}"#)
        #expect(try Fixture.rawValue(line, "originalTimestamp") == value)
        #expect(try Fixture.rawValue(line, "timestamp") == "\"2023-11-14T22:13:20.123Z\"")
    }

    @Test func clientOriginalTimestampIsUsedOnlyWithoutATimestamp() throws {
        let own = try Fixture.line(#"{"userId":"u","event":"E","originalTimestamp":"2020-01-01T00:00:00Z"}"#)
        #expect(try Fixture.rawValue(own, "originalTimestamp") == "\"2020-01-01T00:00:00Z\"")
        let both = try Fixture.line(
            #"{"userId":"u","event":"E","originalTimestamp":"2020-01-01T00:00:00Z","timestamp":"2021-01-01T00:00:00Z"}"#
        )
        #expect(try Fixture.rawValue(both, "originalTimestamp") == "\"2021-01-01T00:00:00Z\"")
    }
}
