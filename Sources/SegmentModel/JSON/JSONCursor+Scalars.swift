extension JSONCursor {
    /// Scans a string starting at the opening quote: escapes, control characters and UTF-8 are validated.
    mutating func string() throws(JSONSyntaxError) -> JSONValue {
        let start = offset
        offset += 1
        var hasEscapes = false
        while offset < bytes.count {
            // Eight bytes at a time while they are plain ASCII content; else straight to the first special byte.
            if offset + 8 <= bytes.count {
                let special = specialBytes(at: offset)
                if special == 0 {
                    offset += 8
                    continue
                }
                offset += special.trailingZeroBitCount >> 3
            }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return JSONValue(kind: .string, start: start, end: offset, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try escape()
            } else if byte < 0x20 {
                throw failure(
                    "control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string; escape it")
            } else if byte < 0x80 {
                offset += 1
            } else {
                try utf8Sequence()
            }
        }
        throw failure("unterminated string", at: start)
    }

    /// A mask of the eight bytes at `position` (which must all be in the buffer) whose high bit is set when the
    /// byte is special inside a string: `"`, `\\`, a control character, or the start of a multi-byte sequence.
    /// Classic SWAR tests: a borrow can flag a byte above a special one, never below, so the lowest flagged byte
    /// is the first special byte and zero means none.
    @inline(__always)
    private func specialBytes(at position: Int) -> UInt64 {
        let word = UInt64(
            littleEndian: UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: position, as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | word) & highs
    }

    private mutating func escape() throws(JSONSyntaxError) {
        guard offset + 1 < bytes.count else { throw failure("unterminated escape sequence") }
        switch bytes[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            guard offset + 6 <= bytes.count else { throw failure("incomplete \\u escape") }
            for index in (offset + 2)..<(offset + 6) where Self.hexValue(bytes[index]) == nil {
                throw failure("invalid \\u escape; expected four hex digits")
            }
            // Lone surrogates are grammatical JSON (JavaScript emits them); LoneSurrogates replaced them already.
            offset += 6
        default:
            throw failure("invalid escape sequence \\\(Self.describe(bytes[offset + 1]))")
        }
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw failure("invalid UTF-8 in a string")
        }
        guard offset + length <= bytes.count else { throw failure("invalid UTF-8 in a string (cut short)") }
        let second = bytes[offset + 1]
        guard second >= low && second <= high else { throw failure("invalid UTF-8 in a string") }
        for index in (offset + 2)..<(offset + length) where bytes[index] & 0xC0 != 0x80 {
            throw failure("invalid UTF-8 in a string")
        }
        offset += length
    }

    /// Scans a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func number() throws(JSONSyntaxError) {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, Self.isDigit(bytes[offset]) else {
            throw failure("invalid number; expected a digit", at: start)
        }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else {
                throw failure("invalid number; expected a digit after '.'", at: start)
            }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count, Self.isDigit(bytes[offset]) else {
                throw failure("invalid number; expected a digit in the exponent", at: start)
            }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while offset < bytes.count, Self.isDigit(bytes[offset]) { offset += 1 }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
