/// What the pipeline writes into the spool. Kinds are stable on disk.
public enum PipelineRecordKind {
    /// Enriched NDJSON lines of one request for one (source, day).
    public static let events: UInt8 = 1
    /// A batch holding events records of one (source, day) is durably written.
    public static let seal: UInt8 = 2
}

/// Payload of an events record: every accepted event of one request, enriched, as NDJSON (`\n` after each line).
public struct EventsRecord: Equatable, Sendable {
    public var key: BatchKey
    public var receivedAtMilliseconds: Int64
    public var eventCount: UInt32
    public var lines: [UInt8]

    public init(key: BatchKey, receivedAtMilliseconds: Int64, eventCount: UInt32, lines: [UInt8]) {
        self.key = key
        self.receivedAtMilliseconds = receivedAtMilliseconds
        self.eventCount = eventCount
        self.lines = lines
    }

    static let version: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: lines.count + key.sourceID.utf8.count + 32)
        w.u8(Self.version)
        w.string(key.sourceID)
        w.i64(key.day)
        w.i64(receivedAtMilliseconds)
        w.u32(eventCount)
        w.blob(lines)
        return w.bytes
    }

    public init(decoding payload: [UInt8]) throws(PipelineError) {
        var r = ByteReader(payload)
        guard try r.u8() == Self.version else {
            throw PipelineError(.corruptRecord, "unknown events record version; upgrade Sluice to read this spool")
        }
        let source = try r.string()
        let day = try r.i64()
        key = BatchKey(sourceID: source, day: day)
        receivedAtMilliseconds = try r.i64()
        eventCount = try r.u32()
        lines = try r.blob()
    }
}

/// Payload of a seal record: the batch file at `stagingPath` holds every events record of `key` with a sequence in
/// `firstSequence...lastSequence`, and is (or is about to be) stored under `objectKey`.
public struct SealRecord: Equatable, Sendable {
    public var key: BatchKey
    public var firstSequence: UInt64
    public var lastSequence: UInt64
    public var eventCount: UInt64
    /// Path of the finished batch file, relative to the data directory.
    public var stagingPath: String
    public var objectKey: String

    public init(
        key: BatchKey, firstSequence: UInt64, lastSequence: UInt64, eventCount: UInt64, stagingPath: String,
        objectKey: String
    ) {
        self.key = key
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.eventCount = eventCount
        self.stagingPath = stagingPath
        self.objectKey = objectKey
    }

    static let version: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        w.u8(Self.version)
        w.string(key.sourceID)
        w.i64(key.day)
        w.u64(firstSequence)
        w.u64(lastSequence)
        w.u64(eventCount)
        w.string(stagingPath)
        w.string(objectKey)
        return w.bytes
    }

    public init(decoding payload: [UInt8]) throws(PipelineError) {
        var r = ByteReader(payload)
        guard try r.u8() == Self.version else {
            throw PipelineError(.corruptRecord, "unknown seal record version; upgrade Sluice to read this spool")
        }
        let source = try r.string()
        key = BatchKey(sourceID: source, day: try r.i64())
        firstSequence = try r.u64()
        lastSequence = try r.u64()
        eventCount = try r.u64()
        stagingPath = try r.string()
        objectKey = try r.string()
    }

    /// True when this seal covers events record `sequence` of `key`.
    public func covers(_ key: BatchKey, _ sequence: UInt64) -> Bool {
        key == self.key && (firstSequence...lastSequence).contains(sequence)
    }
}
