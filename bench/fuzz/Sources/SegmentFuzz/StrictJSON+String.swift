extension StrictJSON {
    /// Reads a string at `index` (on its opening quote) and returns its unescaped UTF-8 bytes.
    mutating func string() throws(Violation) -> [UInt8] {
        index += 1
        var decoded: [UInt8] = []
        while true {
            guard let byte = current else { throw violation("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return decoded
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &decoded)
            case 0x00..<0x20:
                throw violation("unescaped control character in a string")
            case 0x00..<0x80:
                decoded.append(byte)
                index += 1
            default:
                try multiByte(into: &decoded)
            }
        }
    }

    private mutating func escape(into decoded: inout [UInt8]) throws(Violation) {
        guard let byte = current else { throw violation("unterminated escape") }
        index += 1
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            decoded.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw violation("invalid escape") }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard current == UInt8(ascii: "\\") else { throw violation("high surrogate without a low surrogate") }
            index += 1
            guard current == UInt8(ascii: "u") else { throw violation("high surrogate without a low surrogate") }
            index += 1
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw violation("high surrogate without a low surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw violation("lone low surrogate")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw violation("invalid scalar") }
        decoded.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func hex4() throws(Violation) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw violation("truncated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw violation("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629 table) and appends it.
    private mutating func multiByte(into decoded: inout [UInt8]) throws(Violation) {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: (count, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED: (count, high) = (3, 0x9F)
        case 0xF0: (count, low) = (4, 0x90)
        case 0xF1...0xF3: count = 4
        case 0xF4: (count, high) = (4, 0x8F)
        default: throw violation("invalid UTF-8 lead byte")
        }
        guard bytes.count - index >= count else { throw violation("truncated UTF-8 sequence") }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { throw violation("invalid UTF-8 continuation") }
        for offset in 2..<max(count, 2) where !(0x80...0xBF).contains(bytes[index + offset]) {
            throw violation("invalid UTF-8 continuation")
        }
        decoded.append(contentsOf: bytes[index..<index + count])
        index += count
    }
}
