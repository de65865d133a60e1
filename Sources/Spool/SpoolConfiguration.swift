/// Settings of a `Spool`. Build once at the composition root; every value has a production default.
///
/// ```swift
/// var configuration = SpoolConfiguration(directory: "/var/lib/sluice/spool")
/// configuration.maxBytes = 20 << 30
/// let spool = try Spool.open(configuration: configuration, logger: logger)
/// ```
public struct SpoolConfiguration: Sendable {
    /// The directory that holds the segment files (created if missing). One spool per directory.
    public var directory: String
    /// A new segment file is started once the active one has reached this size.
    public var segmentBytes: Int = 64 << 20
    /// Quota: `admission()` answers `.full` once the retained segment files add up to this many bytes.
    public var maxBytes: Int = 10 << 30
    /// `admission()` answers `.full` while the file system has less free space than this.
    public var minFreeDiskBytes: Int = 512 << 20
    /// `false` skips every fsync: for benchmarks only; a crash of the machine may then lose acknowledged records.
    public var fsync: Bool = true
    /// Keep a zero-filled, synced spare segment ready (on a background thread) for each roll, so that group
    /// commits overwrite allocated blocks and each fdatasync flushes data only, with no size or extent change to
    /// journal. Costs one spare segment of disk (`segmentBytes`) and writing every segment twice. Only with `fsync`.
    public var preallocate: Bool = true
    /// Upper bound of one group commit (one write + one fdatasync). It also bounds how much a crash can tear,
    /// which is how recovery tells a torn tail from corruption. Must hold at least one largest record.
    public var maxGroupBytes: Int = 8 << 20
    /// The largest payload one record may carry.
    public var maxPayloadBytes: Int = 4 << 20
    /// Free disk space is measured at most this often (and on every segment roll).
    public var diskCheckInterval: Duration = .milliseconds(100)

    /// Test hook: injected failures (nil in production).
    var faults: SpoolFaults? = nil

    /// Creates a configuration with defaults for everything but the directory.
    public init(directory: String) {
        self.directory = directory
    }

    func validate() throws(SpoolError) {
        func invalid(_ message: String) -> SpoolError { SpoolError(.invalidConfiguration, message) }
        if directory.isEmpty { throw invalid("spool directory is empty; set a directory path") }
        if segmentBytes <= SegmentHeader.size { throw invalid("segmentBytes \(segmentBytes) is too small") }
        if maxPayloadBytes < 0 || maxPayloadBytes > RecordFraming.maxLength - RecordFraming.headerSize {
            let limit = RecordFraming.maxLength - RecordFraming.headerSize
            throw invalid("maxPayloadBytes \(maxPayloadBytes) must be between 0 and \(limit)")
        }
        if maxGroupBytes < maxPayloadBytes + RecordFraming.headerSize {
            throw invalid("maxGroupBytes \(maxGroupBytes) must hold one largest record (maxPayloadBytes + 17)")
        }
        if maxBytes <= 0 || minFreeDiskBytes < 0 { throw invalid("maxBytes must be > 0 and minFreeDiskBytes >= 0") }
    }
}
