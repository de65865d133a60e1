import Delivery

extension SluiceConfiguration {
    /// The `copy` section: when staged batches are copied to destinations, and how long they stay staged.
    ///
    /// ```json
    /// "copy": {"minute": 40, "continuous": false, "intervalSeconds": 60, "retentionDays": 7}
    /// ```
    ///
    /// `retentionHours` (what `sluice serve --staging-retention 30d|12h` sets) wins over `retentionDays`.
    /// ```json
    /// "copy": {"retentionHours": 36}
    /// ```
    public struct CopySettings: Sendable, Codable, Equatable {
        /// The minute of every hour (UTC) the copy runs at, as Segment's "around :40".
        public var minute = 40
        /// Copy every `intervalSeconds` instead of hourly, for lower latency.
        public var continuous = false
        public var intervalSeconds = 60
        /// Days staged files are kept once every enabled destination has them; nil keeps them forever (the
        /// embedded default, whose staging directory is also the local archive).
        public var retentionDays: Int?
        /// The same in hours; when set it wins over `retentionDays`.
        public var retentionHours: Int?
        /// An STS endpoint for the role kind (VPC endpoint, tests); nil means AWS's.
        public var stsEndpoint: String?
        /// Staged files of at least this many bytes are copied as multipart uploads; smaller ones (every batch, by
        /// default: 5 GiB is S3's single-request limit) as one streamed PutObject with `If-None-Match`. Stores that
        /// deny CreateMultipartUpload under an encryption-enforcing policy (radosgw) need it above the batch size.
        public var multipartThresholdBytes = S3DestinationConnector.defaultMultipartThreshold
        /// How long a node's claim on a piece of copy work holds unrenewed (renewed every third of it): after a
        /// node dies, its work is taken over by another within this time.
        public var leaseSeconds = 20

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case minute, continuous, intervalSeconds, retentionDays, retentionHours, stsEndpoint,
                multipartThresholdBytes, leaseSeconds
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self, section: "copy")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            minute = try c.decodeIfPresent(Int.self, forKey: .minute) ?? minute
            continuous = try c.decodeIfPresent(Bool.self, forKey: .continuous) ?? continuous
            intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? intervalSeconds
            retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays)
            retentionHours = try c.decodeIfPresent(Int.self, forKey: .retentionHours)
            stsEndpoint = try c.decodeIfPresent(String.self, forKey: .stsEndpoint)
            multipartThresholdBytes =
                try c.decodeIfPresent(Int.self, forKey: .multipartThresholdBytes) ?? multipartThresholdBytes
            leaseSeconds = try c.decodeIfPresent(Int.self, forKey: .leaseSeconds) ?? leaseSeconds
        }

        /// How long staged files are kept once every enabled destination has them; nil: forever.
        public var retention: Retention {
            if let retentionHours { return Retention(keepMilliseconds: Int64(retentionHours) * 3_600_000) }
            return .days(retentionDays)
        }

        /// The schedule these settings describe.
        public var schedule: CopySchedule {
            continuous ? .continuous(everySeconds: intervalSeconds) : .hourly(minute: minute)
        }

        func validate() throws {
            guard (0...59).contains(minute) else { throw ConfigurationError(message: "copy.minute must be 0-59") }
            guard intervalSeconds >= 1 else {
                throw ConfigurationError(message: "copy.intervalSeconds must be at least 1")
            }
            guard multipartThresholdBytes >= 5 << 20 else {
                throw ConfigurationError(message: "copy.multipartThresholdBytes must be at least 5242880 (5 MiB)")
            }
            guard (3...3600).contains(leaseSeconds) else {
                throw ConfigurationError(message: "copy.leaseSeconds must be 3-3600")
            }
            if let retentionDays, retentionDays < 1 {
                throw ConfigurationError(
                    message: "copy.retentionDays must be at least 1 (or absent to keep staged files)")
            }
            if let retentionHours, retentionHours < 1 {
                throw ConfigurationError(
                    message: "copy.retentionHours must be at least 1 (or absent to keep staged files)")
            }
        }
    }
}
