import Crypto

/// Stage 1 of SigV4: the canonical request, from which everything else is derived.
public struct CanonicalRequest: Sendable, Hashable {
    public let method: String
    public let canonicalURI: String
    public let canonicalQuery: String
    /// Lower-case names with their trimmed, comma-joined values, sorted by name.
    public let canonicalHeaders: [(name: String, value: String)]
    /// `host;x-amz-date;...`
    public let signedHeaders: String
    public let payloadHash: String

    /// Headers that proxies and HTTP stacks add or rewrite, so signing them would break verification.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "user-agent", "expect", "connection", "transfer-encoding", "x-amzn-trace-id",
    ]

    public init(
        _ request: SigningRequest, paths: PathCanonicalization, payloadHash: PayloadHash,
        signHeaders: Bool = true
    ) {
        method = request.method.uppercased()
        canonicalURI = paths.canonicalURI(forWirePath: request.path)
        let encoded: [(name: String, value: String)] = request.query.map {
            (URIEncoding.encode($0.name), URIEncoding.encode($0.value))
        }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        canonicalQuery = sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
        var grouped: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaderNames.contains(name) else { continue }
            grouped[name, default: []].append(Self.trimmed(header.value))
        }
        canonicalHeaders = grouped.keys.sorted().map { ($0, grouped[$0, default: []].joined(separator: ",")) }
        signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        self.payloadHash = payloadHash.value
    }

    /// The newline-separated text that is hashed.
    public var text: String {
        var lines = [method, canonicalURI, canonicalQuery]
        lines += canonicalHeaders.map { $0.name + ":" + $0.value }
        lines += ["", signedHeaders, payloadHash]
        return lines.joined(separator: "\n")
    }

    /// Hex SHA-256 of `text`.
    public var digest: String { Hex.encode(SHA256.hash(data: Array(text.utf8))) }

    /// Trims the value and collapses runs of whitespace (including folded line breaks) to one space.
    static func trimmed(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
        }
        return out
    }

    public static func == (lhs: CanonicalRequest, rhs: CanonicalRequest) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
