import Testing

@testable import SegmentModel

@Suite struct JSONCursorTests {
    static func scan(_ text: String, maxDepth: Int = 64) -> JSONSyntaxError? {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer, maxDepth: maxDepth)
            do throws(JSONSyntaxError) {
                _ = try cursor.value(depth: 1)
                try cursor.expectEnd()
                return nil
            } catch {
                return error
            }
        }
    }

    @Test(arguments: [
        "{}", "[]", "0", "-0", "1.5", "-12.25e+10", "1E5", "1e-7", "true", "false", "null", "\"\"",
        " \n\t{ \"a\" : [ 1 , 2 , { } ] } \r\n",
        #"{"a":{"b":{"c":[null,true,false,"x"]}}}"#,
        #""esc \" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00""#,
        #""lone \uD800 surrogate kept""#,
        "\"caf\u{E9} \u{1F600} \u{4E2D}\"",
        #"{"a":1,"a":2}"#,
        "[1.50,\"\\u00E9\"]",
    ])
    func acceptsValidJSON(text: String) {
        #expect(Self.scan(text) == nil, "\(text)")
    }

    @Test(arguments: [
        "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":}", "{1:2}",
        "01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "tru", "nul", "falsey",
        "\"unterminated", "\"bad escape \\x\"", "\"short \\u12\"", "\"bad hex \\u12G4\"",
        "\"tab\tinside\"", "\"newline\ninside\"", "{} {}", "[] x", "{\"a\":1}}", "'single'",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(Self.scan(text) != nil, "\(text)")
    }

    @Test(
        arguments: [
            [0x22, 0xC3, 0x28, 0x22],  // bad continuation
            [0x22, 0xC0, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8 encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xE2, 0x82, 0x22],  // cut short
            [0x22, 0xFF, 0x22],
        ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        let error = bytes.withUnsafeBufferPointer { buffer -> JSONSyntaxError? in
            var cursor = JSONCursor(buffer)
            return (try? cursor.value(depth: 1)) == nil ? cursor.failure("x") : nil
        }
        #expect(error != nil)
    }

    @Test func nestingLimitIsEnforcedAtTheBoundary() {
        let deep = { (levels: Int) in String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        #expect(Self.scan(deep(64)) == nil)
        #expect(Self.scan(deep(65))?.reason.contains("deeper than 64") == true)
        #expect(Self.scan(deep(100_000)) != nil)
    }

    @Test func errorsSayWhereAndWhat() throws {
        let error = try #require(Self.scan("{\"a\":\"x\ny\"}"))
        #expect(error.offset == 7)
        #expect(error.reason.contains("control character"))
    }

    @Test func valueRangesAreByteFaithful() throws {
        let text = #"{"p":{"a":1.50,"b":"\u00e9"} , "n":-0.0e0}"#
        #expect(try Fixture.rawValue(text, "p") == #"{"a":1.50,"b":"\u00e9"}"#)
        #expect(try Fixture.rawValue(text, "n") == "-0.0e0")
    }
}
