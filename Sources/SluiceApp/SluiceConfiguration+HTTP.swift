import SluiceServer

extension SluiceConfiguration.HTTPSettings {
    /// `http.cors`: the origins whose pages may send events from a browser.
    ///
    /// ```json
    /// "http": {"cors": {"allowOrigins": ["https://shop.example.com", "http://localhost:3000"]}}
    /// ```
    public struct CORSSettings: Sendable, Codable, Equatable {
        /// `["*"]` (the default, as Segment) allows every origin; otherwise only the origins listed.
        public var allowOrigins = ["*"]
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case allowOrigins
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, section: "http.cors")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            allowOrigins = try c.decodeIfPresent([String].self, forKey: .allowOrigins) ?? allowOrigins
        }

        /// The policy the Tracking API receives.
        public func policy() throws -> CORSPolicy {
            do {
                return try CORSPolicy(allowOrigins: allowOrigins)
            } catch {
                throw ConfigurationError(message: "http.cors.allowOrigins: \(error.message)")
            }
        }
    }

    /// `http.tls`: serve HTTPS with a PEM certificate chain and its private key (`--tls-cert`, `--tls-key`).
    ///
    /// ```json
    /// "http": {"tls": {"certificateFile": "/etc/sluice/fullchain.pem", "privateKeyFile": "/etc/sluice/key.pem"}}
    /// ```
    public struct TLSSettings: Sendable, Codable, Equatable {
        public var certificateFile: String
        public var privateKeyFile: String

        public init(certificateFile: String, privateKeyFile: String) {
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case certificateFile, privateKeyFile
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, section: "http.tls")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            certificateFile = try c.decode(String.self, forKey: .certificateFile)
            privateKeyFile = try c.decode(String.self, forKey: .privateKeyFile)
        }
    }

    /// `HOST:PORT` (`[::1]:9090` for IPv6) of the separate metrics listener.
    public struct ListenAddress: Sendable, Equatable {
        public let host: String
        public let port: Int

        public init(_ text: String) throws {
            let host: Substring
            let port: Substring
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                host = text[text.index(after: text.startIndex)..<close]
                let rest = text[text.index(after: close)...]
                port = rest.hasPrefix(":") ? rest.dropFirst() : ""
            } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            } else {
                host = ""
                port = ""
            }
            guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else {
                throw ConfigurationError(
                    message:
                        "metrics address \"\(text.prefix(80))\" must be HOST:PORT, e.g. 127.0.0.1:9090 or [::1]:9090")
            }
            self.host = String(host)
            self.port = number
        }

        var hostForURL: String { host.contains(":") ? "[\(host)]" : host }
    }

    /// The separate metrics listener, if `metricsListen` is set.
    public func metricsAddress() throws -> ListenAddress? {
        try metricsListen.map(ListenAddress.init)
    }

    /// The proxies whose forwarding headers the Tracking API believes.
    public func proxies() throws -> TrustedProxies {
        do {
            return try TrustedProxies(trustedProxies)
        } catch {
            throw ConfigurationError(message: "trusted proxies: \(error.message)")
        }
    }

    /// Rejects the settings below `http` that cannot work (eventLoops is checked with the rest).
    func validate() throws {
        _ = try cors.policy()
        _ = try proxies()
        _ = try metricsAddress()
        if let publicURL, !BrowserSettingsAPI.isPublicURL(publicURL) {
            throw ConfigurationError(
                message: "http.publicURL \"\(publicURL.prefix(100))\" must be http(s)://host[:port], with no path")
        }
    }
}
