/// Reads the client hops out of `Forwarded` (RFC 7239) and `X-Forwarded-For` header values, left (client) to right
/// (nearest proxy). Pure text handling; which hops to believe is `TrustedProxies`' decision.
enum ForwardedHeader {
    /// The `for=` value of every element of every `Forwarded` value, in order (quotes removed).
    static func forHops(_ values: [String]) -> [Substring] {
        var hops: [Substring] = []
        for value in values {
            for element in split(value[...], on: ",") {
                for pair in split(element, on: ";") {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    guard pair[..<equals].trimmingSpaces.lowercased() == "for" else { continue }
                    var hop = pair[pair.index(after: equals)...].trimmingSpaces
                    if hop.count >= 2, hop.first == "\"", hop.last == "\"" { hop = hop.dropFirst().dropLast() }
                    hops.append(hop)
                }
            }
        }
        return hops
    }

    /// Every comma-separated entry of every `X-Forwarded-For` value, in order.
    static func xForwardedForHops(_ values: [String]) -> [Substring] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingSpaces) }
    }

    /// The address of one hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`;
    /// nil for `unknown`, obfuscated identifiers and anything else.
    static func address(_ hop: Substring) -> IPAddress? {
        if hop.first == "[" {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            let after = hop[hop.index(after: close)...]
            guard after.isEmpty || (after.first == ":" && after.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            let inside = hop[hop.index(after: hop.startIndex)..<close]
            guard let ip = IPAddress(inside), !ip.isIPv4 || inside.contains(":") else { return nil }
            return ip
        }
        let colons = hop.count(where: { $0 == ":" })
        if colons == 1, let colon = hop.firstIndex(of: ":") {
            // IPv4 with a port; a bare IPv6 address has at least two colons.
            guard hop[hop.index(after: colon)...].allSatisfy(\.isNumber) else { return nil }
            return IPAddress(hop[..<colon]).flatMap { $0.isIPv4 ? $0 : nil }
        }
        return IPAddress(hop)
    }

    /// Splits on `separator` outside double-quoted strings (a quoted `for` may hold `,` or `;` in theory).
    static func split(_ text: Substring, on separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" {
                quoted.toggle()
            } else if character == "\\", quoted {
                index = text.index(after: index)
                if index == text.endIndex { break }
            } else if character == separator, !quoted {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }
}
