#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Escaped lone UTF-16 surrogates (`"\ud800"`) are grammatical JSON and JavaScript emits them, but strict readers
/// (DuckDB's `read_json`, Spark, Athena's JSON SerDe) reject the whole file that holds one. Sluice replaces each
/// lone surrogate escape by `\ufffd` (U+FFFD REPLACEMENT CHARACTER), as a UTF-16 to UTF-8 conversion does, before
/// anything is scanned. The replacement has the same length, so nothing else in the body moves; escaped pairs
/// (`"\ud83d\ude00"`) are valid and kept as they are.
enum LoneSurrogates {
    /// `body` with every lone surrogate escape replaced by `\ufffd`, or nil when it has none (the usual case: one
    /// `memchr` pass over the body finds the backslashes, and only escapes are looked at).
    static func repaired(_ body: [UInt8]) -> [UInt8]? {
        let patches = body.withUnsafeBufferPointer(loneEscapes(in:))
        guard !patches.isEmpty else { return nil }
        var repaired = body
        let replacement: [UInt8] = Array("fffd".utf8)
        for offset in patches {
            repaired.replaceSubrange((offset + 2)..<(offset + 6), with: replacement)
        }
        return repaired
    }

    /// Offsets of the backslash of every `\uXXXX` escape that is a surrogate without its partner.
    static func loneEscapes(in buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard let base = buffer.baseAddress else { return [] }
        var patches: [Int] = []
        var index = 0
        while index < buffer.count, let found = memchr(base + index, 0x5C, buffer.count - index) {
            let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            guard at + 1 < buffer.count else { break }
            guard buffer[at + 1] == UInt8(ascii: "u"), let unit = codeUnit(buffer, at: at) else {
                index = at + 2
                continue
            }
            switch unit {
            case 0xD800...0xDBFF:
                if let next = codeUnit(buffer, at: at + 6), (0xDC00...0xDFFF).contains(next) {
                    index = at + 12
                } else {
                    patches.append(at)
                    index = at + 6
                }
            case 0xDC00...0xDFFF:
                patches.append(at)
                index = at + 6
            default:
                index = at + 6
            }
        }
        return patches
    }

    /// The code unit of a `\uXXXX` escape starting at `at`, or nil if there is none there.
    private static func codeUnit(_ buffer: UnsafeBufferPointer<UInt8>, at: Int) -> UInt32? {
        guard at + 6 <= buffer.count, buffer[at] == UInt8(ascii: "\\"), buffer[at + 1] == UInt8(ascii: "u") else {
            return nil
        }
        var value: UInt32 = 0
        for position in (at + 2)..<(at + 6) {
            guard let digit = JSONCursor.hexValue(buffer[position]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }
}
