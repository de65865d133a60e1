/// Splits a Tracking API request body into validated events without decoding them.
///
/// ```swift
/// let request = try TrackingRequestDecoder.decode(body: body, endpoint: .batch, limits: IngestLimits())
/// for event in request.events { enricher.appendLine(for: event, envelope: request.envelope, context: ctx, into: &out) }
/// // request.rejected lists the batch items that failed validation, with the reason.
/// ```
public enum TrackingRequestDecoder {
    /// Decodes `body` (already gzip-decoded) received on `endpoint`.
    ///
    /// Whole-request problems throw: a body that is not a JSON object (`.invalidJSON`), one over its size limit
    /// (`.payloadTooLarge`), a batch without a `batch` array (`.invalidBatch`), an empty one (`.emptyBatch`) or a
    /// too long one (`.tooManyEvents`), and an invalid single call (its validation code). Invalid batch items do
    /// not throw; they are listed in `rejected`. Escaped lone surrogates (`"\ud800"`) come out as `"\ufffd"`.
    public static func decode(
        body: [UInt8], endpoint: Endpoint, limits: IngestLimits = IngestLimits()
    ) throws(SegmentError) -> DecodedRequest {
        // Archived lines must stay readable by strict JSON readers: lone surrogate escapes become U+FFFD.
        let body = LoneSurrogates.repaired(body) ?? body
        let result = body.withUnsafeBufferPointer { buffer in
            Result { () throws(SegmentError) -> DecodedRequest in
                switch endpoint {
                case .single(let type): try decodeSingle(body, buffer, type: type, limits: limits)
                case .batch: try decodeBatch(body, buffer, limits: limits)
                }
            }
        }
        return try result.get()
    }

    private static func decodeSingle(
        _ body: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>, type: CallType, limits: IngestLimits
    ) throws(SegmentError) -> DecodedRequest {
        guard body.count <= limits.maxSingleCallBytes else {
            throw SegmentError(
                .payloadTooLarge,
                "the request body is \(body.count) bytes; a single call must be at most \(limits.maxSingleCallBytes) bytes"
            )
        }
        var cursor = JSONCursor(buffer, maxDepth: limits.maxNestingDepth, tracksKeys: true)
        var fields = EventFields()
        var table = MemberTable()
        var start = 0
        var end = 0
        do throws(JSONSyntaxError) {
            try expectObject(&cursor)
            start = cursor.offset
            fields = try cursor.eventObject(depth: 1, table: &table)
            end = cursor.offset
            try cursor.expectEnd()
        } catch {
            throw invalidJSON(error)
        }
        if let name = cursor.keys?.duplicateText(in: buffer) { throw duplicateKey(name, item: nil) }
        let validator = EventValidator(cursor: cursor, limits: limits)
        _ = try validator.validate(fields, size: end - start, forcedType: type)
        let event = EventSlice(
            index: 0, type: type, bytes: body[start..<end], messageIDRange: validator.messageIDRange(fields),
            members: fields.members, contextMembers: fields.contextMembers)
        let writeKey = fields.writeKey.flatMap { $0.kind == .string ? cursor.text(of: $0) : nil }
        return DecodedRequest(
            bodyWriteKey: writeKey, envelope: BatchEnvelope(), events: [event], rejected: [],
            members: table)
    }

    static func expectObject(_ cursor: inout JSONCursor) throws(JSONSyntaxError) {
        guard cursor.peek() == UInt8(ascii: "{") else {
            throw cursor.failure(cursor.isAtEnd ? "the body is empty; send a JSON object" : "expected a JSON object")
        }
    }

    static func duplicateKey(_ name: String, item: Int?) -> SegmentError {
        let subject = item.map { "batch item \($0)" } ?? "the event"
        return SegmentError(
            .duplicateKey,
            "\(subject) has an object naming the member \"\(name.prefix(64))\" twice; send each member once "
                + "(strict JSON readers such as DuckDB reject a file holding such a line)")
    }

    static func invalidJSON(_ error: JSONSyntaxError) -> SegmentError {
        SegmentError(.invalidJSON, "request body is not valid JSON: \(error.description)")
    }
}
