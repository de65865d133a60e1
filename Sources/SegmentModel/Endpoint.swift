/// A Tracking API endpoint, recognised from the request path.
///
/// ```swift
/// Endpoint(path: "/v1/track")  // .single(.track)
/// Endpoint(path: "/v1/t")      // .single(.track), as analytics.js sends it
/// Endpoint(path: "/v1/import") // .batch
/// ```
public enum Endpoint: Hashable, Sendable {
    /// A single-call endpoint: the body is one event of this type.
    case single(CallType)
    /// A batch endpoint: the body is `{"batch": [...], ...}`.
    case batch

    /// Recognises `/v1/{track|identify|page|screen|group|alias}`, the one-letter forms `/v1/{t|i|p|s|g|a}`,
    /// and `/v1/batch`, `/v1/b`, `/v1/import`; a trailing slash is tolerated. Returns nil for anything else.
    public init?(path: String) {
        var name = Substring(path)
        guard name.hasPrefix("/v1/") else { return nil }
        name = name.dropFirst(4)
        if name.hasSuffix("/") { name = name.dropLast() }
        switch name {
        case "batch", "b", "import": self = .batch
        case "t": self = .single(.track)
        case "i": self = .single(.identify)
        case "p": self = .single(.page)
        case "s": self = .single(.screen)
        case "g": self = .single(.group)
        case "a": self = .single(.alias)
        default:
            guard let type = CallType(rawValue: String(name)) else { return nil }
            self = .single(type)
        }
    }
}
