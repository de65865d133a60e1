extension JSONCursor {
    /// Skips one value of bytes the decoder has already validated and returns its range, or nil at the end of the
    /// buffer. Only the structure is followed (strings and nesting); nothing is checked again, which makes this
    /// several times cheaper than `value(depth:)` for the enricher, which re-reads every event it writes. On bytes
    /// that are not valid JSON it never reads past the buffer, but its result is unspecified.
    mutating func skipValidatedValue() -> Range<Int>? {
        skipWhitespace()
        guard offset < bytes.count else { return nil }
        let start = offset
        switch bytes[offset] {
        case UInt8(ascii: "\""):
            return skipValidatedString() ? start..<offset : nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "\""):
                    guard skipValidatedString() else { return nil }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        offset += 1
                        return start..<offset
                    }
                default:
                    break
                }
                offset += 1
            }
            return nil
        default:
            // A number or a literal: it ends at a separator, a closing bracket or whitespace.
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    return start..<offset
                default:
                    offset += 1
                }
            }
            return start..<offset
        }
    }

    /// Moves past the string starting at the cursor; false if the buffer ends inside it.
    private mutating func skipValidatedString() -> Bool {
        offset += 1
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return true
            }
            offset += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        offset = bytes.count
        return false
    }
}
