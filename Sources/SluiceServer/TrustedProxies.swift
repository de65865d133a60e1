/// The proxies (`--trusted-proxies`, CIDRs) whose `Forwarded` / `X-Forwarded-For` headers name the client; from any
/// other peer those headers are ignored, so an arbitrary client cannot choose the `context.ip` it is recorded with.
///
/// ```swift
/// let proxies = try TrustedProxies(["10.0.0.0/8", "fd00::/8"])
/// proxies.clientAddress(peer: "10.1.2.3", forwarded: [], forwardedFor: ["203.0.113.7, 10.9.9.9"])  // "203.0.113.7"
/// proxies.clientAddress(peer: "198.51.100.1", forwarded: [], forwardedFor: ["203.0.113.7"])  // "198.51.100.1"
/// ```
public struct TrustedProxies: Sendable, Equatable {
    /// One range: an address and how many of its leading bits must match.
    public struct Range: Sendable, Equatable {
        public let address: IPAddress
        public let prefixLength: Int

        /// `10.0.0.0/8`, `2001:db8::/32`, or a single address (`/32` or `/128`). Host bits must be zero, so a typo
        /// such as `10.0.0.1/8` is reported instead of silently trusting a whole network.
        public init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(parts[0].trimmingSpaces) else { return nil }
            var bits = address.bytes.count * 8
            if parts.count == 2 {
                let digits = parts[1].trimmingSpaces
                guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isNumber), let n = Int(digits) else {
                    return nil
                }
                // An IPv4-mapped range (`::ffff:10.0.0.0/104`) is the IPv4 range it maps.
                let mapped = address.isIPv4 && parts[0].contains(":")
                bits = mapped ? n - 96 : n
                guard bits >= 0, bits <= address.bytes.count * 8 else { return nil }
            }
            self.address = address
            prefixLength = bits
            guard Range.masked(address.bytes, bits) == address.bytes else { return nil }
        }

        /// Whether `ip` lies in this range (an IPv4 address never lies in an IPv6 range, and vice versa).
        public func contains(_ ip: IPAddress) -> Bool {
            ip.bytes.count == address.bytes.count && Range.masked(ip.bytes, prefixLength) == address.bytes
        }

        static func masked(_ bytes: [UInt8], _ bits: Int) -> [UInt8] {
            bytes.enumerated().map { index, byte in
                let keep = min(max(bits - index * 8, 0), 8)
                return keep == 8 ? byte : byte & ~(UInt8(0xFF) >> keep)
            }
        }
    }

    public let ranges: [Range]

    /// Trust no proxy: the socket peer is always the client.
    public static let none = TrustedProxies(ranges: [])

    init(ranges: [Range]) {
        self.ranges = ranges
    }

    /// Parses CIDRs; each entry may itself be a comma-separated list (`--trusted-proxies 10.0.0.0/8,::1`).
    public init(_ entries: [String]) throws(TrustedProxiesError) {
        var ranges: [Range] = []
        for entry in entries {
            for item in entry.split(separator: ",") {
                let text = item.trimmingSpaces
                guard !text.isEmpty else { continue }
                guard let range = Range(text) else {
                    throw TrustedProxiesError(
                        message:
                            "\"\(text.prefix(60))\" is not a CIDR: give addresses or ranges such as 10.0.0.0/8, "
                            + "192.168.1.7, fd00::/8 (host bits zero)")
                }
                ranges.append(range)
            }
        }
        self.init(ranges: ranges)
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func isTrusted(_ ip: IPAddress) -> Bool { ranges.contains { $0.contains(ip) } }

    /// The address to record as `context.ip`: the socket peer, unless the peer is a trusted proxy; then the hop its
    /// forwarding headers name, walking right to left past every trusted proxy, so the first address no trusted
    /// party added is never believed. `Forwarded` (RFC 7239) wins over `X-Forwarded-For` when it names any hop.
    /// A hop that is not an address (`unknown`, `_hidden`) stops the walk at the last address established.
    public func clientAddress(peer: String?, forwarded: [String], forwardedFor: [String]) -> String? {
        guard let peer, let peerIP = IPAddress(peer) else { return peer }
        guard isTrusted(peerIP) else { return peerIP.description }
        var hops = ForwardedHeader.forHops(forwarded)
        if hops.isEmpty { hops = ForwardedHeader.xForwardedForHops(forwardedFor) }
        var candidate = peerIP
        for hop in hops.reversed() {
            guard let ip = ForwardedHeader.address(hop) else { break }
            candidate = ip
            if !isTrusted(ip) { break }
        }
        return candidate.description
    }
}

/// A `--trusted-proxies` entry that is not a CIDR.
public struct TrustedProxiesError: Error, Sendable {
    public let message: String
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
