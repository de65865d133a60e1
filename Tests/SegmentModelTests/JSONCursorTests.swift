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

    /// The string scanner skips plain ASCII eight bytes at a time: a special byte at any position of a word, and
    /// strings of every length around the word size, must be handled as the byte-by-byte rules say.
    @Test func everyPositionOfASpecialByteInLongStrings() {
        let plain = "abcdefghijklmnopqrstuvwxyz0123456789"
        for length in 0...plain.count {
            let content = String(plain.prefix(length))
            let text = "\"" + content + "\""
            let end = Array(text.utf8).withUnsafeBufferPointer { buffer -> Int? in
                var cursor = JSONCursor(buffer)
                guard let value = try? cursor.string() else { return nil }
                return value.hasEscapes ? -1 : value.end
            }
            #expect(end == text.utf8.count, "length \(length)")
            for position in 0...length {
                let head = String(plain.prefix(position))
                let tail = String(plain.prefix(length).dropFirst(position))
                // Valid: an escape, a multi-byte character; the value still ends at the closing quote.
                for (insert, escapes) in [("\\n", true), ("\\\"", true), ("\u{E9}", false), ("\u{1F600}", false)] {
                    let text = "\"" + head + insert + tail + "\",1"
                    let scanned = Array(text.utf8).withUnsafeBufferPointer { buffer -> (Int, Bool)? in
                        var cursor = JSONCursor(buffer)
                        guard let value = try? cursor.string() else { return nil }
                        return (value.end, value.hasEscapes)
                    }
                    #expect(scanned?.0 == text.utf8.count - 2, "\(text)")
                    #expect(scanned?.1 == escapes, "\(text)")
                }
                // Invalid: a control character, a stray continuation byte, a truncated sequence.
                for bad in [[UInt8(0x09)], [UInt8(0x80)], [UInt8(0xC3)], [UInt8(0xED), 0xA0, 0x80]] {
                    let bytes = [UInt8(ascii: "\"")] + Array(head.utf8) + bad + Array(tail.utf8) + [UInt8(ascii: "\"")]
                    let failed = bytes.withUnsafeBufferPointer { buffer -> Bool in
                        var cursor = JSONCursor(buffer)
                        return (try? cursor.string()) == nil
                    }
                    #expect(failed, "\(bad) at \(position) of \(length)")
                }
            }
            // The closing quote at every position: the string ends there, not later.
            let unterminated = "\"" + content
            let failed = Array(unterminated.utf8).withUnsafeBufferPointer { buffer -> Bool in
                var cursor = JSONCursor(buffer)
                return (try? cursor.string()) == nil
            }
            #expect(failed, "unterminated \(length)")
        }
    }
}
