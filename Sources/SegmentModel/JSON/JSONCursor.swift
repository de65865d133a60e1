/// A validating, allocation-free JSON scanner over a byte buffer.
///
/// It walks objects member by member and skips values, checking full RFC 8259 syntax on the way (strings with
/// every escape, UTF-8, numbers, literals, nesting up to `maxDepth`). It never decodes: callers get byte ranges
/// and copy the original bytes unchanged. Valid only while the buffer it points into is alive.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset: Int
    let maxDepth: Int
    /// Set by the request decoders (nil elsewhere): records repeated member names of every object scanned.
    var keys: KeyTracker?

    init(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0, maxDepth: Int = 64, tracksKeys: Bool = false) {
        self.bytes = bytes
        self.offset = offset
        self.maxDepth = maxDepth
        self.keys = tracksKeys ? KeyTracker() : nil
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The byte at the cursor (after whitespace), or nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    func failure(_ reason: String, at position: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: position ?? offset, reason: reason)
    }

    /// Requires that only whitespace remains.
    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        guard isAtEnd else { throw failure("unexpected data after the JSON value") }
    }

    /// Scans (and validates) one complete value. `depth` is the nesting depth the value has if it is a container.
    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of data; expected a value") }
        let start = offset
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            try enterContainer(depth: depth)
            var first = true
            while try nextKey(isFirst: &first) != nil { _ = try value(depth: depth + 1) }
            return JSONValue(kind: .object, start: start, end: offset)
        case UInt8(ascii: "["):
            try enterContainer(depth: depth)
            var first = true
            while try nextElement(isFirst: &first) { _ = try value(depth: depth + 1) }
            return JSONValue(kind: .array, start: start, end: offset)
        case UInt8(ascii: "\""):
            return try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return JSONValue(kind: .number, start: start, end: offset)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONValue(kind: .true, start: start, end: offset)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONValue(kind: .false, start: start, end: offset)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONValue(kind: .null, start: start, end: offset)
        default:
            throw failure("unexpected character \(Self.describe(bytes[offset])); expected a value")
        }
    }

    /// Consumes `{` or `[` at the cursor, enforcing the nesting limit.
    mutating func enterContainer(depth: Int) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw failure("nesting is deeper than \(maxDepth) levels") }
        offset += 1
    }

    /// Inside an object: consumes the separator and the next key with its colon, or the closing `}` (then nil).
    /// `tracked: false` is for objects whose members Sluice rebuilds (an event's top level and its `context`, the
    /// batch envelope): a repeated name there means "the last one wins", as in Go's decoder, and is written once.
    mutating func nextKey(isFirst: inout Bool, tracked: Bool = true) throws(JSONSyntaxError) -> JSONValue? {
        try nextKey(isFirst: &isFirst, tracking: tracked && self.keys != nil)
    }

    private mutating func nextKey(isFirst: inout Bool, tracking: Bool) throws(JSONSyntaxError) -> JSONValue? {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of data inside an object") }
        if isFirst, tracking { keys?.openObject() }
        if bytes[offset] == UInt8(ascii: "}") {
            // Valid both for an empty object and after a member; a trailing comma is caught below.
            offset += 1
            if tracking { keys?.closeObject(in: bytes) }
            return nil
        }
        if isFirst {
            isFirst = false
        } else {
            guard bytes[offset] == UInt8(ascii: ",") else {
                throw failure("expected ',' or '}' in an object but found \(Self.describe(bytes[offset]))")
            }
            offset += 1
            skipWhitespace()
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            throw failure("expected a member name in double quotes")
        }
        let key = try string()
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
            throw failure("expected ':' after a member name")
        }
        offset += 1
        if tracking { keys?.add(key, in: bytes) }
        return key
    }

    /// Inside an array: consumes the separator before the next element (true), or the closing `]` (false).
    mutating func nextElement(isFirst: inout Bool) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of data inside an array") }
        if bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return false
        }
        if isFirst {
            isFirst = false
            return true
        }
        guard bytes[offset] == UInt8(ascii: ",") else {
            throw failure("expected ',' or ']' in an array but found \(Self.describe(bytes[offset]))")
        }
        offset += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw failure("invalid literal; expected \(word)") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for index in 0..<count where bytes[offset + index] != expected[index] {
            throw failure("invalid literal; expected \(word)")
        }
        offset += count
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
