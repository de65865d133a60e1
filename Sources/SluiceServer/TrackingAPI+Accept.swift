import ArchiveFormat
import Catalog
import Hummingbird
import Logging
import Metrics
import NIOCore
import Pipeline
import SegmentModel

extension TrackingAPI {
    /// Enriches the valid events into one durable spool record, quarantines the invalid ones (durably too), and
    /// answers `200 {"success":true}` (plus `rejected` when some events were quarantined).
    ///
    /// The events go to the spool first: a request refused there (503) has quarantined nothing, so the client's
    /// retry records its rejected events once, not twice. Should the quarantine then fail, the request is still
    /// answered 200 with the rejected events listed (the client is told each one and why), since a 503 would make
    /// the client send the accepted events again.
    func accept(
        _ decoded: DecodedRequest, source: Source, received: Int64, peerIP: String?, logger: Logger
    ) async throws -> Response {
        let context = EnrichmentContext(
            sourceID: source.id, receivedAtMilliseconds: received, peerIP: peerIP, messageIDGenerator: messageIDs)
        let day = ReceivedDay(containing: received).epochMilliseconds
        // The lines are enriched straight into the spool record's payload, after its header.
        var record = EventsRecord.Builder(
            key: BatchKey(sourceID: source.id, day: day), receivedAtMilliseconds: received,
            linesCapacity: decoded.events.reduce(0) { $0 + $1.bytes.count } + decoded.events.count * 320)
        let linesStart = record.bytes.count
        // Events whose messageId was accepted before (within the window) are answered as usual but left out.
        let claim = await ingestor.claim(
            messageIDs: ingestor.deduplicates ? decoded.events.map { $0.messageID.map { Array($0.utf8) } } : [],
            receivedAtMilliseconds: received)
        let duplicates = claim.duplicateCount
        var enricher = Enricher()
        for (n, event) in decoded.events.enumerated() where !claim.isDuplicate(n) {
            enricher.appendLine(for: event, of: decoded, context: context, into: &record.bytes)
            record.bytes.append(UInt8(ascii: "\n"))
        }
        var dropped = duplicates
        if decoded.events.count > duplicates {
            // Copied only while a debugger listens; published once the spool holds the events.
            let tapped = tap?.hasSubscribers == true ? Array(record.bytes[linesStart...]) : nil
            // In a cluster, events another node accepted first are left out of the batch too.
            dropped += try await ingestor.ingest(
                record.finish(eventCount: UInt32(decoded.events.count - duplicates)), claim: claim)
            acceptedEvents.increment(by: decoded.events.count - dropped)
            if let tapped { tap?.publish(sourceID: source.id, lines: tapped) }
        } else {
            await ingestor.release(claim)
        }
        ingestor.countDuplicates(dropped, sourceID: source.id)
        tap?.counts.add(
            sourceID: source.id, accepted: decoded.events.count - dropped, rejected: decoded.rejected.count, at: received)
        if !decoded.rejected.isEmpty {
            do {
                try await catalog.quarantine(
                    decoded.rejected.map {
                        QuarantinedEvent(
                            sourceID: source.id, receivedAtMilliseconds: received, index: $0.index,
                            code: $0.code.rawValue, message: $0.message, raw: Array($0.bytes))
                    })
                Counter(label: "sluice_events_quarantined_total", dimensions: [("source", source.id)])
                    .increment(by: decoded.rejected.count)
            } catch {
                // With nothing accepted a 503 is safe (the retry quarantines once); otherwise see above.
                if decoded.events.isEmpty { throw error }
                Counter(label: "sluice_quarantine_write_errors_total").increment()
                quarantineFailures.note(error, logger: logger)
            }
        }
        guard !decoded.rejected.isEmpty else { return JSONBody.response(.ok, JSONBody.success) }
        var body = #"{"success":true,"accepted":\#(decoded.events.count),"rejected":["#
        for (n, rejected) in decoded.rejected.enumerated() {
            if n > 0 { body += "," }
            body +=
                #"{"index":\#(rejected.index),"code":"# + JSONBody.quoted(rejected.code.rawValue)
                + #","message":"# + JSONBody.quoted(rejected.message) + "}"
        }
        body += "]}"
        return JSONBody.response(.ok, ByteBuffer(string: body))
    }
}
