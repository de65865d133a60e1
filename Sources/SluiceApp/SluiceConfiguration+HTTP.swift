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
        if let publicURL, !BrowserSettingsAPI.isPublicURL(publicURL) {
            throw ConfigurationError(
                message: "http.publicURL \"\(publicURL.prefix(100))\" must be http(s)://host[:port], with no path")
        }
    }
}
