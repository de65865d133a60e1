/// What the pipeline writes into the spool. Kinds are stable on disk.
public enum PipelineRecordKind {
    /// Enriched NDJSON lines of one request for one (source, day).
    public static let events: UInt8 = 1
    /// A batch holding events records of one (source, day) is durably written.
    public static let seal: UInt8 = 2
}

/// Payload of an events record: every accepted event of one request, enriched, as NDJSON (`\n` after each line).
///
/// The record keeps its spool payload (header, then the lines), so the ingest path builds it once, in place
/// (`EventsRecord.Builder`), and neither writing it to the spool nor handing its lines to a batch copies it.
public struct EventsRecord: Equatable, Sendable {
    public let key: BatchKey
    public let receivedAtMilliseconds: Int64
    public let eventCount: UInt32
    /// The encoded record, as the spool stores it.
    let payload: [UInt8]
    let linesStart: Int

    /// The NDJSON lines.
    public var lines: ArraySlice<UInt8> { payload[linesStart...] }

    public init(key: BatchKey, receivedAtMilliseconds: Int64, eventCount: UInt32, lines: [UInt8]) {
        var builder = Builder(key: key, receivedAtMilliseconds: receivedAtMilliseconds, linesCapacity: lines.count)
        builder.bytes.append(contentsOf: lines)
        self = builder.finish(eventCount: eventCount)
    }

    private init(key: BatchKey, receivedAtMilliseconds: Int64, eventCount: UInt32, payload: [UInt8], linesStart: Int) {
        self.key = key
        self.receivedAtMilliseconds = receivedAtMilliseconds
        self.eventCount = eventCount
        self.payload = payload
        self.linesStart = linesStart
    }

    static let version: UInt8 = 1

    /// The spool payload (no copy: it is already encoded).
    public func encoded() -> [UInt8] { payload }

    public init(decoding payload: [UInt8]) throws(PipelineError) {
        var r = ByteReader(payload)
        guard try r.u8() == Self.version else {
            throw PipelineError(.corruptRecord, "unknown events record version; upgrade Sluice to read this spool")
        }
        let source = try r.string()
        let day = try r.i64()
        let received = try r.i64()
        let count = try r.u32()
        let linesCount = Int(try r.u32())
        let start = r.offset
        _ = try r.take(linesCount)
        guard r.offset == payload.count else {
            throw PipelineError(
                .corruptRecord, "an events record has \(payload.count - r.offset) bytes after its lines")
        }
        self.init(
            key: BatchKey(sourceID: source, day: day), receivedAtMilliseconds: received, eventCount: count,
            payload: payload, linesStart: start)
    }

    /// Writes the header first and lets the caller append the lines after it; `finish` fills in the event count
    /// and the lines' length.
    ///
    /// ```swift
    /// var builder = EventsRecord.Builder(key: key, receivedAtMilliseconds: now, linesCapacity: 16_384)
    /// enricher.appendLine(for: event, of: request, context: context, into: &builder.bytes)
    /// let record = builder.finish(eventCount: 1)
    /// ```
    public struct Builder {
        /// The payload so far: the header, then whatever lines the caller appended.
        public var bytes: [UInt8]
        let key: BatchKey
        let receivedAtMilliseconds: Int64
        let countOffset: Int

        public init(key: BatchKey, receivedAtMilliseconds: Int64, linesCapacity: Int) {
            var w = ByteWriter(capacity: linesCapacity + key.sourceID.utf8.count + 32)
            w.u8(EventsRecord.version)
            w.string(key.sourceID)
            w.i64(key.day)
            w.i64(receivedAtMilliseconds)
            countOffset = w.bytes.count
            w.u32(0)  // event count, filled in by finish
            w.u32(0)  // length of the lines, filled in by finish
            bytes = w.bytes
            self.key = key
            self.receivedAtMilliseconds = receivedAtMilliseconds
        }

        /// Fills in the header's counts in place: writing through `bytes` itself, not a copy of it, keeps the buffer
        /// unique, so an optimised build hands the same allocation to the record (a local `var` copy made it copy
        /// the whole payload).
        public consuming func finish(eventCount: UInt32) -> EventsRecord {
            let start = countOffset + 8
            precondition(bytes.count >= start, "EventsRecord.Builder: the header was cut")
            let linesCount = UInt32(bytes.count - start)
            let countOffset = self.countOffset
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: eventCount.littleEndian, toByteOffset: countOffset, as: UInt32.self)
                raw.storeBytes(of: linesCount.littleEndian, toByteOffset: countOffset + 4, as: UInt32.self)
            }
            return EventsRecord(
                key: key, receivedAtMilliseconds: receivedAtMilliseconds, eventCount: eventCount, payload: bytes,
                linesStart: start)
        }
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
