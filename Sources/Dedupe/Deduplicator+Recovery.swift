import Pipeline
import SegmentModel
import Spool

extension Deduplicator {
    /// What start-up recovery re-inserted.
    public struct RecoveryReport: Sendable, Equatable {
        /// Events records read from the spool.
        public var records = 0
        /// Their events that carry a messageId.
        public var messageIDs = 0
        /// Ids the index did not hold (written after its last sync, before a crash).
        public var inserted = 0
    }

    /// Re-inserts the messageIds of every events record the spool retains, so ids acknowledged after the index's
    /// last sync (a SIGKILL or power loss) are known again. The index is synced before the spool deletes a segment,
    /// so records already deleted need nothing. Blocking: call at start-up, before ingest.
    public func recover(from spool: any SpoolLog, now: Int64) throws -> RecoveryReport {
        var report = RecoveryReport()
        let limits = IngestLimits.recovery
        try spool.replay(from: 0) { record in
            guard record.kind == PipelineRecordKind.events else { return }
            let events = try EventsRecord(decoding: record.payload)
            report.records += 1
            let slice = window.slice(containing: events.receivedAtMilliseconds)
            guard !window.isExpired(sliceEnd: slice.upperBound, now: now) else { return }
            for id in Self.messageIDs(ofLines: events.lines, limits: limits) {
                report.messageIDs += 1
                if try insertRecovered(id, receivedAt: events.receivedAtMilliseconds, now: now) {
                    report.inserted += 1
                }
            }
        }
        try sync()
        return report
    }

    /// The messageIds of enriched NDJSON lines (every line has one: the client's or Sluice's), read with the
    /// Tracking API's own decoder, the lines wrapped as one batch body.
    static func messageIDs(ofLines lines: ArraySlice<UInt8>, limits: IngestLimits) -> [[UInt8]] {
        var body: [UInt8] = Array(#"{"batch":["#.utf8)
        body.reserveCapacity(lines.count + 16)
        var first = true
        for line in lines.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if !first { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: line)
            first = false
        }
        body.append(contentsOf: Array("]}".utf8))
        guard let decoded = try? TrackingRequestDecoder.decode(body: body, endpoint: .batch, limits: limits) else {
            return []
        }
        return decoded.events.compactMap { $0.messageID.map { Array($0.utf8) } }
    }
}
