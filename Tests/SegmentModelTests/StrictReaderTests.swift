import Foundation
import Testing

@testable import SegmentModel

/// Archived lines must be readable by strict JSON readers (DuckDB's `read_json` rejects a whole file over one bad
/// line): lone surrogates, repeated member names, out-of-range numbers and timestamps.
@Suite struct StrictReaderTests {
    @Test(arguments: [
        (#"u\ud800"#, #"u\ufffd"#),
        (#"u\uDBFF!"#, #"u\ufffd!"#),
        (#"\udc00x"#, #"\ufffdx"#),
        (#"\ud800\ud800"#, #"\ufffd\ufffd"#),
        // A low surrogate after a valid pair is lone; a high one followed by a non-surrogate escape is lone.
        (#"\ud83d\ude00\ude00"#, #"\ud83d\ude00\ufffd"#),
        (#"\ud800\u0041"#, #"\ufffd\u0041"#),
        // Valid pairs, other escapes and an escaped backslash before "u" are not touched.
        (#"\ud83d\ude00"#, #"\ud83d\ude00"#),
        (#"\\ud800"#, #"\\ud800"#),
        (#"\\\ud800"#, #"\\\ufffd"#),
        (#"a\"b\n\u00e9"#, #"a\"b\n\u00e9"#),
    ])
    func loneSurrogatesBecomeReplacementCharacters(sent: String, archived: String) throws {
        let line = try Fixture.line(#"{"userId":"\#(sent)","event":"e"}"#)
        #expect(try Fixture.rawValue(line, "userId") == "\"\(archived)\"")
        // Foundation's parser, like DuckDB's, refuses lone surrogates: the line must parse.
        _ = try Fixture.object(line)
    }

    @Test func loneSurrogatesInBatchesAndNestedValues() throws {
        let body = #"{"batch":[{"type":"track","userId":"u","event":"e","properties":{"k\udfff":["\ud800"]}}]}"#
        let lines = try Fixture.enrich(body, .batch)
        #expect(lines.count == 1)
        #expect(lines[0].contains(#""properties":{"k\ufffd":["\ufffd"]}"#))
        _ = try Fixture.object(lines[0])
    }

    @Test func repairFindsNothingInPlainBodies() {
        #expect(LoneSurrogates.repaired(Array(#"{"a":"b\"\\","c":"\u00e9"}"#.utf8)) == nil)
        #expect(LoneSurrogates.repaired([]) == nil)
        #expect(LoneSurrogates.repaired(Array(#"\u"#.utf8)) == nil)
    }

    @Test(arguments: [
        #"{"userId":"u","event":"e","properties":{"a":1,"b":2,"a":3}}"#,
        #"{"userId":"u","event":"e","properties":{"list":[{"x":1,"x":1}]}}"#,
        #"{"userId":"u","event":"e","properties":{"a":1,"\u0061":2}}"#,
        #"{"userId":"u","event":"e","context":{"library":{"name":"a","name":"b"}}}"#,
        #"{"userId":"u","event":"e","traits":{"a":{"b":{"c":1,"c":2}}}}"#,
    ])
    func repeatedNamesInsideCopiedValuesRefuseTheEvent(body: String) {
        do {
            _ = try Fixture.decode(body, .single(.track))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.code == .duplicateKey)
            #expect(error.code.httpStatus == 400)
        }
    }

    /// Members Sluice rebuilds (an event's top level, its `context`, the batch envelope) keep the last value, as
    /// Go's decoder (and so Segment) does, and are written once.
    @Test(arguments: [
        (#"{"batch":[{"type":"track","userId":"u","event":"e","userId":"v"}]}"#, "userId"),
        (#"{"batch":[{"type":"track","userId":"u","event":"e","context":{"ip":"1.1.1.1","ip":"2.2.2.2"}}]}"#, "ip"),
        (#"{"batch":[{"type":"track","userId":"u","event":"e"}],"context":{"a":1,"a":2}}"#, "a"),
        (#"{"batch":[{"type":"track","userId":"u","event":"e","context":{"z":1}}],"context":{"z":2}}"#, "z"),
    ])
    func repeatedRebuiltMembersAreWrittenOnce(body: String, name: String) throws {
        let lines = try Fixture.enrich(body, .batch)
        #expect(lines.count == 1)
        #expect(try Fixture.repeatedKey(lines[0]) == nil, "\(lines[0])")
        #expect(lines[0].contains("\"\(name)\""))
    }

    @Test func repeatedNamesInManyKeyedObjectsAreFoundBySorting() throws {
        let keys = (0..<300).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let unique = #"{"userId":"u","event":"e","properties":{\#(keys)}}"#
        #expect(try Fixture.decode(unique, .single(.track)).events.count == 1)
        let repeated = #"{"userId":"u","event":"e","properties":{\#(keys),"k150":1}}"#
        do {
            _ = try Fixture.decode(repeated, .single(.track))
            Issue.record("a repeated key among 301 was not found")
        } catch {
            #expect(error.code == .duplicateKey)
            #expect(error.message.contains("\"k150\""))
        }
    }

    @Test func sameNamesInDifferentObjectsAreFine() throws {
        let body =
            #"{"userId":"u","event":"e","properties":{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]},"context":{"a":1}}"#
        #expect(try Fixture.decode(body, .single(.track)).events.count == 1)
    }

    @Test func aRepeatedNameCostsOnlyItsOwnBatchItem() throws {
        let body =
            #"{"batch":[{"type":"track","userId":"u","event":"ok"},"#
            + #"{"type":"track","userId":"u","event":"bad","properties":{"p":1,"p":2}},"#
            + #"{"type":"track","userId":"u","event":"ok2"}]}"#
        let request = try Fixture.decode(body, .batch)
        #expect(request.events.map(\.index) == [0, 2])
        #expect(request.rejected.map(\.index) == [1])
        #expect(request.rejected.first?.code == .duplicateKey)
        let lines = try Fixture.enrich(body, .batch)
        #expect(lines.count == 2)
        for line in lines { #expect(try Fixture.repeatedKey(line) == nil) }
    }

    @Test func aRepeatedNameInsideAnEnvelopeValueRefusesTheRequest() {
        let body = #"{"batch":[{"type":"track","userId":"u","event":"e"}],"context":{"app":{"v":1,"v":2}}}"#
        do {
            _ = try Fixture.decode(body, .batch)
            Issue.record("a repeated name in the batch context's values was accepted")
        } catch {
            #expect(error.code == .duplicateKey)
        }
    }

    @Test func numbersOutsideDoubleRangeAreArchivedAsSent() throws {
        let line = try Fixture.line(#"{"userId":"u","event":"e","properties":{"big":1e400,"small":-1e-400}}"#)
        #expect(line.contains(#""properties":{"big":1e400,"small":-1e-400}"#))
    }

    @Test(arguments: [
        // The correction would pass year 9999: the client's time is kept.
        ("9999-12-31T23:59:59.999Z", "2023-11-14T22:13:20.000Z", "9999-12-31T23:59:59.999Z"),
        // The correction would go before year 1: the client's time is kept.
        ("0001-01-01T00:00:00.000Z", "2033-11-14T22:13:20.000Z", "0001-01-01T00:00:00.000Z"),
        // A client time outside 0001-9999 (year 0, or a zone pushing it out): receivedAt.
        ("0000-06-01T00:00:00.000Z", "2033-11-14T22:13:20.000Z", "2023-11-14T22:13:20.123Z"),
        ("0001-01-01T00:30:00.000+01:00", "2023-11-14T22:13:20.123Z", "2023-11-14T22:13:20.123Z"),
        // In range: the usual correction.
        ("2023-11-14T22:00:00.000Z", "2023-11-14T22:13:20.000Z", "2023-11-14T22:00:00.123Z"),
    ])
    func correctedTimestampsStayWithinRFC3339Years(original: String, sentAt: String, expected: String) throws {
        let body = #"{"userId":"u","event":"E","timestamp":"\#(original)","sentAt":"\#(sentAt)"}"#
        let line = try Fixture.line(body)
        #expect(try Fixture.rawValue(line, "timestamp") == "\"\(expected)\"")
        #expect(try Fixture.rawValue(line, "originalTimestamp") == "\"\(original)\"")
    }

    @Test func theRFC3339RangeIsExactlyYearsOneToNineThousandNineHundredNinetyNine() {
        #expect(Timestamp.string(milliseconds: Timestamp.rfc3339Range.lowerBound) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.string(milliseconds: Timestamp.rfc3339Range.upperBound) == "9999-12-31T23:59:59.999Z")
    }
}
