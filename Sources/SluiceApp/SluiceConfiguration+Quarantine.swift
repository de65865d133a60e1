extension SluiceConfiguration {
    /// The `quarantine` section: how long rejected events are kept.
    ///
    /// ```json
    /// "quarantine": {"retentionHours": 720}
    /// ```
    /// (`sluice serve --quarantine-retention 30d`). Absent, quarantined events are kept until replayed or their
    /// source is deleted.
    public struct QuarantineSettings: Sendable, Codable, Equatable {
        public var retentionHours: Int?
        /// How often the retention pass runs, in seconds.
        public var retentionIntervalSeconds = 3_600

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case retentionHours, retentionIntervalSeconds }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, section: "quarantine")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            retentionHours = try c.decodeIfPresent(Int.self, forKey: .retentionHours)
            retentionIntervalSeconds =
                try c.decodeIfPresent(Int.self, forKey: .retentionIntervalSeconds) ?? retentionIntervalSeconds
        }

        func validate() throws {
            if let retentionHours, retentionHours < 1 {
                throw ConfigurationError(
                    message: "quarantine.retentionHours must be at least 1 (or absent to keep quarantined events)")
            }
            guard retentionIntervalSeconds >= 1 else {
                throw ConfigurationError(message: "quarantine.retentionIntervalSeconds must be at least 1")
            }
        }
    }
}
