/// How the request path becomes the canonical URI.
///
/// S3 encodes object keys exactly once: the canonical URI is the wire path (re-encoded to the canonical form
/// after decoding, so `%2a` and `*` both become `%2A`), and dot segments or double slashes are significant
/// parts of a key. Every other AWS service encodes the wire path a second time and, by default, normalizes it.
public enum PathCanonicalization: Sendable, Hashable {
    /// S3: single encoding, no normalization.
    case s3
    /// Other services: the wire path encoded again; `normalize` removes `.`/`..` segments and empty segments.
    case doubleEncoded(normalize: Bool)

    public func canonicalURI(forWirePath path: String) -> String {
        switch self {
        case .s3:
            return URIEncoding.encode(URIEncoding.decode(path), keepSlash: true)
        case .doubleEncoded(let normalize):
            return URIEncoding.encode(normalize ? Self.normalized(path) : path, keepSlash: true)
        }
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments; a trailing slash is kept.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case "", ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(part)
            }
        }
        let trailingSlash = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.joined(separator: "/") + (trailingSlash ? "/" : "")
    }
}
