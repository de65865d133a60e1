import Foundation
import Pipeline
import SegmentModel

/// Everything `sluice serve` can be told, built once at the root from the config file and then flags.
///
/// Config file (JSON; every key optional):
/// ```json
/// {"host": "127.0.0.1", "port": 8080, "dataDirectory": "./sluice-data",
///  "batch": {"maxBytes": 100000000, "maxAgeSeconds": 3600},
///  "spool": {"maxBytes": 10737418240, "minFreeDiskBytes": 536870912, "fsync": true, "preallocate": true},
///  "http": {"eventLoops": 1},
///  "logLevel": "info"}
/// ```
public struct SluiceConfiguration: Sendable, Codable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./sluice-data"
    /// Where the catalog is: nil for the data directory's SQLite file, a `postgres://` URL for a cluster's shared
    /// database, or a SQLite file's path (see `CatalogLocation.resolve`).
    public var catalog: String?
    /// This node's readable name in the node registry, unique among live nodes; nil means the host name.
    public var nodeID: String?
    /// Where closed batches are staged: nil URL for `{data-dir}/bucket`, `s3://bucket/prefix` for a cluster.
    public var staging = StagingSettings()
    public var batch = Batch()
    public var spool = SpoolSettings()
    public var copy = CopySettings()
    public var http = HTTPSettings()
    public var quarantine = QuarantineSettings()
    public var logLevel = "info"
    /// How long accepted messageIds are remembered so retries are archived once: `24h`, `90m`, `3600s`, `7d`;
    /// `off` or `0` turns de-duplication off (see `SluiceConfiguration+Dedupe.swift`).
    public var dedupeWindow = "24h"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, dataDirectory, catalog, nodeID = "nodeId", staging, batch, spool, copy, http, quarantine
        case logLevel, dedupeWindow
    }

    public struct Batch: Sendable, Codable, Equatable {
        public var maxBytes: Int = 100_000_000
        public var maxAgeSeconds: Int = 3600
        public var memberBytes: Int = 1 << 20
        public var compressionLevel: Int = 5
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxBytes, maxAgeSeconds, memberBytes, compressionLevel
        }
    }

    public struct SpoolSettings: Sendable, Codable, Equatable {
        public var maxBytes: Int64 = 10 << 30
        public var minFreeDiskBytes: Int64 = 512 << 20
        public var segmentBytes: Int = 64 << 20
        /// `false` only for benchmarks: acknowledgements stop meaning "on disk".
        public var fsync = true
        /// Keep a zero-filled spare segment ready so group commits overwrite allocated blocks (faster fdatasync);
        /// costs one extra segment of disk. Turn off on file systems where overwriting is not cheaper (copy-on-write).
        public var preallocate = true
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxBytes, minFreeDiskBytes, segmentBytes, fsync, preallocate
        }
    }

    public struct HTTPSettings: Sendable, Codable, Equatable {
        /// Threads that accept connections, parse HTTP and write responses; nil: half the cores (at least one).
        /// They do a small share of the work (decoding, enrichment, spool writes and compression run elsewhere), and
        /// on a 2-core machine one loop measured ~4 % more requests/s than two (bench/RESULTS.md).
        public var eventLoops: Int?
        /// Which browser origins may call the Tracking API (`["*"]`: every one).
        public var cors = CORSSettings()
        /// The address browsers reach Sluice at (`https://collect.example.com`), for the settings analytics-next loads;
        /// nil: from each request's `Host`.
        public var publicURL: String?
        /// Proxies (CIDRs) whose `Forwarded` / `X-Forwarded-For` name the client for `context.ip`; none by default.
        public var trustedProxies: [String] = []
        /// HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with this PEM certificate chain and key; reloaded on SIGHUP.
        public var tls: TLSSettings?
        /// `HOST:PORT` of a second listener serving `/metrics` without a token; nil: `/metrics` on the main
        /// listener only, behind the admin token.
        public var metricsListen: String?
        /// Seconds a keep-alive connection may sit between requests.
        public var idleTimeoutSeconds: Double = 60
        /// Seconds from a request's first byte to the end of its head.
        public var headerTimeoutSeconds: Double = 10
        /// Seconds a body may go without a read.
        public var bodyTimeoutSeconds: Double = 15
        /// Open connections at most; nil: the open-files limit less 128 (for the spool, catalog and uploads), at
        /// least 32.
        public var maxConnections: Int?
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case eventLoops, cors, publicURL, trustedProxies, tls, metricsListen, idleTimeoutSeconds
            case headerTimeoutSeconds, bodyTimeoutSeconds, maxConnections
        }

        /// The number of event loops to run on a machine with `cores` cores.
        public func eventLoopCount(cores: Int) -> Int { eventLoops ?? max(1, cores / 2) }
    }

    public init() {}

    /// Reads a JSON config file; unknown keys are an error so typos do not pass silently.
    public static func load(path: String) throws -> SluiceConfiguration {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(SluiceConfiguration.self, from: data)
        } catch let error as ConfigurationError {
            throw ConfigurationError(message: "config file \(path): \(error.message)")
        } catch {
            throw ConfigurationError(message: "cannot read config file \(path): \(error)")
        }
    }

    var batchingPolicy: BatchingPolicy {
        var policy = BatchingPolicy()
        policy.maxBatchBytes = batch.maxBytes
        policy.maxBatchAgeMilliseconds = Int64(batch.maxAgeSeconds) * 1000
        policy.memberBytes = batch.memberBytes
        policy.compressionLevel = batch.compressionLevel
        return policy
    }

    /// Rejects values that cannot work, with what to change.
    public func validate() throws {
        guard (1...65535).contains(port) else {
            throw ConfigurationError(message: "port \(port) is out of range 1-65535")
        }
        guard batch.maxBytes >= 1 << 20 else {
            throw ConfigurationError(message: "batch.maxBytes must be at least 1 MiB")
        }
        guard batch.maxBytes <= 5_000_000_000 else {
            throw ConfigurationError(message: "batch.maxBytes must be at most 5 GB (S3's single PUT limit)")
        }
        guard batch.maxAgeSeconds >= 1 else {
            throw ConfigurationError(message: "batch.maxAgeSeconds must be at least 1")
        }
        guard (1...12).contains(batch.compressionLevel) else {
            throw ConfigurationError(message: "batch.compressionLevel must be 1-12")
        }
        if let loops = http.eventLoops, !(1...256).contains(loops) {
            throw ConfigurationError(message: "http.eventLoops must be 1-256 (or left out: half the cores)")
        }
        for (name, seconds) in [
            ("idleTimeoutSeconds", http.idleTimeoutSeconds), ("headerTimeoutSeconds", http.headerTimeoutSeconds),
            ("bodyTimeoutSeconds", http.bodyTimeoutSeconds),
        ] where !(seconds > 0 && seconds <= 86_400) {
            throw ConfigurationError(message: "http.\(name) must be more than 0 and at most 86400 seconds")
        }
        if let cap = http.maxConnections, cap < 1 {
            throw ConfigurationError(message: "http.maxConnections must be at least 1 (or left out)")
        }
        try copy.validate()
        try quarantine.validate()
        try http.validate()
        _ = try deduplicationWindow()
    }
}

extension SluiceConfiguration {
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, section: "")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        dataDirectory = try c.decodeIfPresent(String.self, forKey: .dataDirectory) ?? dataDirectory
        catalog = try c.decodeIfPresent(String.self, forKey: .catalog)
        nodeID = try c.decodeIfPresent(String.self, forKey: .nodeID)
        staging = try c.decodeIfPresent(StagingSettings.self, forKey: .staging) ?? staging
        batch = try c.decodeIfPresent(Batch.self, forKey: .batch) ?? batch
        spool = try c.decodeIfPresent(SpoolSettings.self, forKey: .spool) ?? spool
        copy = try c.decodeIfPresent(CopySettings.self, forKey: .copy) ?? copy
        http = try c.decodeIfPresent(HTTPSettings.self, forKey: .http) ?? http
        quarantine = try c.decodeIfPresent(QuarantineSettings.self, forKey: .quarantine) ?? quarantine
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? logLevel
        dedupeWindow = try c.decodeIfPresent(String.self, forKey: .dedupeWindow) ?? dedupeWindow
    }
}

extension SluiceConfiguration.Batch {
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, section: "batch")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        maxBytes = try c.decodeIfPresent(Int.self, forKey: .maxBytes) ?? maxBytes
        maxAgeSeconds = try c.decodeIfPresent(Int.self, forKey: .maxAgeSeconds) ?? maxAgeSeconds
        memberBytes = try c.decodeIfPresent(Int.self, forKey: .memberBytes) ?? memberBytes
        compressionLevel = try c.decodeIfPresent(Int.self, forKey: .compressionLevel) ?? compressionLevel
    }
}

extension SluiceConfiguration.SpoolSettings {
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, section: "spool")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        maxBytes = try c.decodeIfPresent(Int64.self, forKey: .maxBytes) ?? maxBytes
        minFreeDiskBytes = try c.decodeIfPresent(Int64.self, forKey: .minFreeDiskBytes) ?? minFreeDiskBytes
        segmentBytes = try c.decodeIfPresent(Int.self, forKey: .segmentBytes) ?? segmentBytes
        fsync = try c.decodeIfPresent(Bool.self, forKey: .fsync) ?? fsync
        preallocate = try c.decodeIfPresent(Bool.self, forKey: .preallocate) ?? preallocate
    }
}

extension SluiceConfiguration.HTTPSettings {
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, section: "http")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        eventLoops = try c.decodeIfPresent(Int.self, forKey: .eventLoops)
        cors = try c.decodeIfPresent(CORSSettings.self, forKey: .cors) ?? cors
        publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
        trustedProxies = try c.decodeIfPresent([String].self, forKey: .trustedProxies) ?? trustedProxies
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls)
        metricsListen = try c.decodeIfPresent(String.self, forKey: .metricsListen)
        idleTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds) ?? idleTimeoutSeconds
        headerTimeoutSeconds =
            try c.decodeIfPresent(Double.self, forKey: .headerTimeoutSeconds) ?? headerTimeoutSeconds
        bodyTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .bodyTimeoutSeconds) ?? bodyTimeoutSeconds
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections)
    }
}

/// A configuration that cannot work.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
