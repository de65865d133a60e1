/// Decoding and encoding of JSON string contents, for the few places that need text rather than raw bytes
/// (keys with escapes, `type`, `writeKey`, `messageId` lengths) and for strings Sluice writes itself.
enum JSONString {
    /// Decodes validated string content (between the quotes) into UTF-8. Lone surrogates become U+FFFD.
    static func decode(_ content: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var index = 0
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < content.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = content[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(content, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar), index + 6 <= content.count,
                    content[index] == UInt8(ascii: "\\"), content[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(content, at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let decoded = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(decoded, into: { output.append($0) })
            default: output.append(escaped)
            }
        }
    }

    /// Decodes validated string content into a Swift `String`.
    static func decodeString(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var utf8: [UInt8] = []
        decode(content, into: &utf8)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal (with quotes), escaping quotes, backslashes and control characters.
    static func append(_ text: some StringProtocol, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0..<0x20:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30])
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func hex4(_ content: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<min(index + 4, content.count) {
            value = value << 4 | (JSONCursor.hexValue(content[position]) ?? 0)
        }
        return value
    }
}
