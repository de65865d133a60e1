/// An IPv4 or IPv6 address parsed from text, as headers and sockets give it; IPv4-mapped IPv6 addresses
/// (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4 peer) are the IPv4 address.
///
/// ```swift
/// IPAddress("2001:DB8:0:0:0:0:0:1")?.description   // "2001:db8::1"
/// IPAddress("::ffff:192.0.2.1")?.description       // "192.0.2.1"
/// IPAddress("192.0.2.300")                         // nil
/// ```
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), network order.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    init(bytes: [UInt8]) {
        // An IPv4-mapped address is the IPv4 peer itself.
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            self.bytes = Array(bytes[12...])
        } else {
            self.bytes = bytes
        }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (`::` compression, a trailing dotted quad); a zone
    /// (`%eth0`) is ignored. Nil for anything else, including ports and brackets.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        if let percent = utf8.firstIndex(of: UInt8(ascii: "%")) { utf8.removeSubrange(percent...) }
        guard !utf8.isEmpty, utf8.count <= 45 else { return nil }
        if utf8.contains(UInt8(ascii: ":")) {
            guard let bytes = Self.parseIPv6(utf8) else { return nil }
            self.init(bytes: bytes)
        } else {
            guard let bytes = Self.parseIPv4(utf8[...]) else { return nil }
            self.init(bytes: bytes)
        }
    }

    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            // No leading zeros: "010" is octal to some parsers and decimal to others.
            guard (1...3).contains(part.count), part.allSatisfy(isDigit), part.count == 1 || part.first != 0x30
            else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            out.append(UInt8(value))
        }
        return out
    }

    static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var compressed = false
        var rest = text[...]
        if rest.starts(with: [0x3A, 0x3A]) {
            compressed = true
            rest = rest.dropFirst(2)
        } else if rest.first == 0x3A {
            return nil
        }
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 0x3A) ?? rest.endIndex
            let group = rest[rest.startIndex..<end]
            if end == rest.endIndex, group.contains(UInt8(ascii: ".")) {
                // A trailing dotted quad fills the last 32 bits.
                guard let v4 = parseIPv4(group) else { return nil }
                let words = [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                if compressed { tail += words } else { head += words }
                rest = rest[end...]
                break
            }
            guard (1...4).contains(group.count), group.allSatisfy(isHexDigit) else { return nil }
            let word = group.reduce(UInt16(0)) { $0 << 4 | UInt16(hexValue($1)) }
            if compressed { tail.append(word) } else { head.append(word) }
            rest = rest[end...]
            if rest.starts(with: [0x3A, 0x3A]) {
                guard !compressed else { return nil }
                compressed = true
                rest = rest.dropFirst(2)
            } else if rest.first == 0x3A {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
            }
        }
        let count = head.count + tail.count
        guard compressed ? count <= 7 : count == 8 else { return nil }
        let words = head + [UInt16](repeating: 0, count: 8 - count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Dotted quad, or RFC 5952 text: lower-case hex without leading zeros, the longest run of two or more zero
    /// groups (the first of equals) as `::`.
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let words = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard words[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, words[end] == 0 { end += 1 }
            if end - index > best.length, end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = words.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let left = hex[..<best.start].joined(separator: ":")
        let right = hex[(best.start + best.length)...].joined(separator: ":")
        return left + "::" + right
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
    private static func hexValue(_ byte: UInt8) -> UInt8 {
        isDigit(byte) ? byte - 0x30 : (byte | 0x20) - 0x61 + 10
    }
}
