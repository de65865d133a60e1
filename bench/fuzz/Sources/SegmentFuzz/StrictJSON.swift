/// A strict RFC 8259 reader used as the fuzzer's oracle, written independently of the scanner under test: one
/// value with optional surrounding whitespace, well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing
/// above U+10FFFF), valid escapes with paired surrogates, and no member name repeated within an object (names are
/// compared after unescaping).
///
/// ```swift
/// try StrictJSON.validate(Array(#"{"a":1}"#.utf8))  // passes
/// try StrictJSON.validate(Array(#"{"a":1,"\u0061":2}"#.utf8))  // throws: repeated member "a"
/// ```
public struct StrictJSON {
    /// Why a text is not strict JSON, with the byte offset.
    public struct Violation: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "offset \(offset): \(reason)" }
    }

    let bytes: [UInt8]
    var index = 0
    private let maxDepth: Int

    private init(_ bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Throws a ``Violation`` unless `bytes` is exactly one strict JSON value; returns the top-level member names
    /// (unescaped) when the value is an object, otherwise nil.
    @discardableResult
    public static func validate(_ bytes: [UInt8], maxDepth: Int = 512) throws(Violation) -> [[UInt8]]? {
        var reader = StrictJSON(bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        let names = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.violation("trailing bytes after the value") }
        return names
    }

    func violation(_ reason: String) -> Violation { Violation(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Violation) {
        guard current == byte else { throw violation("expected \"\(Character(Unicode.Scalar(byte)))\"") }
        index += 1
    }

    private mutating func value(depth: Int) throws(Violation) -> [[UInt8]]? {
        guard depth <= maxDepth else { throw violation("nested deeper than \(maxDepth)") }
        guard let byte = current else { throw violation("expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw violation("expected a value")
        }
        return nil
    }

    private mutating func object(depth: Int) throws(Violation) -> [[UInt8]] {
        index += 1
        var names: [[UInt8]] = []
        var seen: Set<[UInt8]> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return names
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw violation("expected a member name") }
            let name = try string()
            guard seen.insert(name).inserted else {
                throw violation("repeated member \"\(String(decoding: name, as: UTF8.self))\"")
            }
            names.append(name)
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            _ = try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return names
        }
    }

    private mutating func array(depth: Int) throws(Violation) {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            _ = try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    private mutating func literal(_ word: StaticString) throws(Violation) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected)
        else { throw violation("invalid literal") }
        index += expected.count
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func number() throws(Violation) {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw violation("a number needs digits") }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw violation("a fraction needs digits") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw violation("an exponent needs digits") }
        }
    }
}
