extension TrackingRequestDecoder {
    /// What a batch body's envelope members and items add up to while scanning.
    private struct BatchScan {
        var sawBatch = false
        var batchIsArray = false
        var itemCount = 0
        var events: [EventSlice] = []
        var rejected: [RejectedEvent] = []
        var envelope = BatchEnvelope()
        var writeKey: String?
        var members = MemberTable()
        /// Set once the item count passes the limit; thrown after the body is known to be valid JSON.
        var tooMany: SegmentError?
    }

    static func decodeBatch(
        _ body: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>, limits: IngestLimits
    ) throws(SegmentError) -> DecodedRequest {
        guard body.count <= limits.maxBatchRequestBytes else {
            throw SegmentError(
                .payloadTooLarge,
                "the request body is \(body.count) bytes; a batch request must be at most "
                    + "\(limits.maxBatchRequestBytes) bytes: send fewer events per request")
        }
        var cursor = JSONCursor(buffer, maxDepth: limits.maxNestingDepth, tracksKeys: true)
        var scan = BatchScan()
        do throws(JSONSyntaxError) {
            try expectObject(&cursor)
            try cursor.enterContainer(depth: 1)
            var first = true
            while let key = try cursor.nextKey(isFirst: &first, tracked: false) {
                switch MemberName(key: key, in: buffer) {
                case .batch:
                    try scanItems(&cursor, body, limits: limits, into: &scan)
                case .sentAt:
                    scan.envelope.sentAt = body[try cursor.value(depth: 2).range]
                case .context:
                    if cursor.peek() == UInt8(ascii: "{") {
                        let (value, members) = try cursor.objectMembers(
                            depth: 2, base: cursor.offset, into: &scan.members.context)
                        scan.envelope.context = body[value.range]
                        scan.envelope.contextMembers = members
                    } else {
                        _ = try cursor.value(depth: 2)
                        scan.envelope.context = nil
                        scan.envelope.contextMembers = nil
                    }
                case .integrations:
                    let value = try cursor.value(depth: 2)
                    scan.envelope.integrations = value.kind == .object ? body[value.range] : nil
                case .writeKey:
                    let value = try cursor.value(depth: 2)
                    scan.writeKey = value.kind == .string ? cursor.text(of: value) : nil
                default:
                    _ = try cursor.value(depth: 2)
                }
            }
            try cursor.expectEnd()
        } catch {
            throw invalidJSON(error)
        }
        if let error = scan.tooMany {
            throw error
        }
        // Items reset the tracker for themselves; what is left was repeated inside a value of the envelope
        // (`context` members' values are copied into every event).
        if let name = cursor.keys?.duplicateText(in: buffer) { throw duplicateKey(name, item: nil) }
        guard scan.sawBatch, scan.batchIsArray else {
            throw SegmentError(
                .invalidBatch, "a batch request needs a \"batch\" member holding an array of events")
        }
        guard scan.itemCount > 0 else {
            throw SegmentError(.emptyBatch, "the \"batch\" array is empty; send at least one event")
        }
        return DecodedRequest(
            bodyWriteKey: scan.writeKey, envelope: scan.envelope, events: scan.events, rejected: scan.rejected,
            members: scan.members)
    }

    private static func scanItems(
        _ cursor: inout JSONCursor, _ body: [UInt8], limits: IngestLimits, into scan: inout BatchScan
    ) throws(JSONSyntaxError) {
        // A repeated "batch" member replaces the earlier one (last one wins, as for every member).
        scan = BatchScan(
            envelope: scan.envelope, writeKey: scan.writeKey,
            members: MemberTable(topLevel: [], context: scan.members.context))
        scan.sawBatch = true
        guard cursor.peek() == UInt8(ascii: "[") else {
            _ = try cursor.value(depth: 2)
            return
        }
        scan.batchIsArray = true
        let envelopeDuplicate = (cursor.keys?.duplicate, cursor.keys?.duplicateName)
        defer {
            cursor.keys?.duplicate = envelopeDuplicate.0
            cursor.keys?.duplicateName = envelopeDuplicate.1
        }
        try cursor.enterContainer(depth: 2)
        let validator = EventValidator(cursor: cursor, limits: limits)
        var first = true
        while try cursor.nextElement(isFirst: &first) {
            let index = scan.itemCount
            scan.itemCount += 1
            guard scan.itemCount <= limits.maxEventsPerBatch else {
                if scan.tooMany == nil {
                    scan.tooMany = SegmentError(
                        .tooManyEvents,
                        "the batch holds more than \(limits.maxEventsPerBatch) events; split it into smaller batches")
                }
                _ = try cursor.value(depth: 3)
                continue
            }
            guard cursor.peek() == UInt8(ascii: "{") else {
                let value = try cursor.value(depth: 3)
                scan.rejected.append(
                    RejectedEvent(
                        index: index, code: .invalidEvent,
                        message: "batch item \(index) is not a JSON object; each item must be an event object",
                        bytes: body[value.range]))
                continue
            }
            let start = cursor.offset
            let recorded = (scan.members.topLevel.count, scan.members.context.count)
            cursor.keys?.resetDuplicate()
            let fields = try cursor.eventObject(depth: 3, table: &scan.members)
            let end = cursor.offset
            do throws(SegmentError) {
                if let name = cursor.keys?.duplicateText(in: cursor.bytes) { throw duplicateKey(name, item: index) }
                let type = try validator.validate(fields, size: end - start, forcedType: nil)
                scan.events.append(
                    EventSlice(
                        index: index, type: type, bytes: body[start..<end],
                        messageIDRange: validator.messageIDRange(fields), members: fields.members,
                        contextMembers: fields.contextMembers))
            } catch {
                // A rejected event is never enriched: drop the spans it recorded.
                scan.members.topLevel.removeSubrange(recorded.0...)
                scan.members.context.removeSubrange(recorded.1...)
                scan.rejected.append(
                    RejectedEvent(index: index, code: error.code, message: error.message, bytes: body[start..<end]))
            }
        }
    }
}
