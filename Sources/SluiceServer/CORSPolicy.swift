import Hummingbird

/// Which browser origins may call the Tracking API, and the CORS headers that say so.
///
/// A value the routes receive: the root builds it from `http.cors.allowOrigins` (every origin, `*`, by default, as
/// Segment's API answers). Credentials are never needed (the write key travels in the body or in `Authorization`),
/// so `Access-Control-Allow-Credentials` is never sent.
///
/// ```swift
/// let policy = try CORSPolicy(allowOrigins: ["https://shop.example.com"])
/// policy.decision(origin: "https://shop.example.com")   // .allow("https://shop.example.com")
/// policy.decision(origin: "https://evil.example")       // .refuse
/// policy.decision(origin: nil)                          // .notCrossOrigin
/// ```
public struct CORSPolicy: Sendable, Equatable {
    /// The origins allowed: every one, or exactly these (`scheme://host[:port]`, compared as browsers send them).
    public enum Origins: Sendable, Equatable {
        case any
        case only(Set<String>)
    }

    public let origins: Origins

    /// Every origin (`Access-Control-Allow-Origin: *`).
    public static let anyOrigin = CORSPolicy(origins: .any)

    init(origins: Origins) {
        self.origins = origins
    }

    /// From a configured list: `["*"]` (or an empty list) allows every origin; otherwise each entry must be an
    /// origin as a browser sends it (`https://shop.example.com`, `http://localhost:3000`), without path or slash.
    public init(allowOrigins: [String]) throws(CORSPolicyError) {
        if allowOrigins.isEmpty || allowOrigins == ["*"] {
            self.init(origins: .any)
            return
        }
        var set = Set<String>()
        for origin in allowOrigins {
            guard Self.isOrigin(origin) else {
                throw CORSPolicyError(
                    message:
                        "\"\(origin.prefix(100))\" is not an origin: give \"*\" alone, or origins such as "
                        + "\"https://shop.example.com\" (scheme, host and optional port; no path)")
            }
            set.insert(origin.lowercased())
        }
        self.init(origins: .only(set))
    }

    /// What to do with a request whose `Origin` header is `origin`.
    public enum Decision: Sendable, Equatable {
        /// No `Origin` header: a server SDK or curl, not a browser's cross-origin call; no CORS headers.
        case notCrossOrigin
        /// Allowed: answer with `Access-Control-Allow-Origin` set to this value.
        case allow(String)
        /// An origin the policy does not list.
        case refuse
    }

    public func decision(origin: String?) -> Decision {
        guard let origin else { return .notCrossOrigin }
        switch origins {
        case .any: return .allow("*")
        case .only(let set): return set.contains(origin.lowercased()) ? .allow(origin) : .refuse
        }
    }

    /// The methods the Tracking API and the settings route answer.
    static let allowMethods = "POST, GET, OPTIONS"
    /// What analytics.js and analytics-next send, and what a page may add: `Content-Type` (`text/plain` needs no
    /// preflight, `application/json` does), Basic auth, gzip bodies, the retry counter and the tracing flag.
    static let allowHeaders = "Content-Type, Authorization, Content-Encoding, X-Retry-Count, Trace"
    /// Chromium caps a preflight's cache at two hours.
    static let maxAgeSeconds = "7200"

    /// The headers every answer to an allowed cross-origin request carries.
    func responseHeaders(allowing value: String) -> HTTPFields {
        var fields: HTTPFields = [.accessControlAllowOrigin: value]
        // A listed origin is echoed, so caches must keep one answer per origin.
        if value != "*" { fields[.vary] = "Origin" }
        return fields
    }

    /// The headers of a preflight (`OPTIONS`) answer.
    func preflightHeaders(allowing value: String) -> HTTPFields {
        var fields = responseHeaders(allowing: value)
        fields[.accessControlAllowMethods] = Self.allowMethods
        fields[.accessControlAllowHeaders] = Self.allowHeaders
        fields[.accessControlMaxAge] = Self.maxAgeSeconds
        return fields
    }

    /// `scheme://host[:port]` with scheme http or https, a host of letters, digits, `-`, `.` (or a bracketed IPv6
    /// address), a numeric port, and nothing after it.
    static func isOrigin(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else {
            return false
        }
        var host = rest
        var port: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            host = "x"
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port),
                (1...65535).contains(number)
            else { return false }
        }
        return !host.isEmpty && host.count <= 253
            && host.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" || $0 == "." }
    }
}

/// A CORS setting that cannot be used.
public struct CORSPolicyError: Error, Sendable {
    public let message: String
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetterOrDigit: Bool { isASCII && (isLetter || isNumber) }
}
