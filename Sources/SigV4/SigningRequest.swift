/// The parts of an HTTP request that SigV4 signs, before any signing headers are added.
///
/// `path` is the path exactly as it goes on the wire (already percent-encoded); `query` holds decoded names and
/// values, which the signer encodes itself; `headers` keep their order and duplicates.
///
/// ```swift
/// let request = SigningRequest(method: "GET", path: "/bucket/my%20key", query: [("versionId", "3")],
///                              headers: [("Host", "s3.eu-west-1.amazonaws.com")])
/// ```
public struct SigningRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var query: [QueryItem]
    public var headers: [Header]

    public init(method: String, path: String, query: [QueryItem] = [], headers: [Header] = []) {
        self.method = method
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
    }

    /// Builds a request from a request target (`/path?a=1&b`); query names and values are percent-decoded.
    public init(method: String, target: String, headers: [Header] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = parts.count > 1 ? Self.parseQuery(parts[1]) : []
        self.init(method: method, path: String(parts[0]), query: query, headers: headers)
    }

    static func parseQuery(_ text: Substring) -> [QueryItem] {
        text.split(separator: "&").map { pair in
            let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return QueryItem(
                URIEncoding.decode(nameValue[0]),
                nameValue.count > 1 ? URIEncoding.decode(nameValue[1]) : "")
        }
    }

    /// One query parameter, decoded.
    public struct QueryItem: Sendable, Hashable, ExpressibleByStringLiteral {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String = "") {
            self.name = name
            self.value = value
        }
        public init(stringLiteral name: String) { self.init(name) }
    }

    /// One header line as given; names compare case-insensitively when signed.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The query string as it should be sent: names and values encoded the way the signature expects.
    public var encodedQuery: String {
        query.map { URIEncoding.encode($0.name) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
    }
}
