extension LineWriter {
    /// Writes one Sluice-set field (key and value), or nothing when it has no value (`originalTimestamp`,
    /// `sentAt`).
    func writeField(_ field: Field, nested: inout [MemberRef], needsComma: inout Bool, into output: inout [UInt8]) {
        switch field {
        case .channel:
            writeKey(field, needsComma: &needsComma, into: &output)
            if let value = clientValue(.channel) {
                output.append(contentsOf: sources.bytes(.event, value))
            } else {
                output.append(contentsOf: "\"server\"".utf8)
            }
        case .context:
            writeKey(field, needsComma: &needsComma, into: &output)
            writeContext(nested: &nested, into: &output)
        case .integrations:
            writeKey(field, needsComma: &needsComma, into: &output)
            writeIntegrations(nested: &nested, into: &output)
        case .messageId:
            writeKey(field, needsComma: &needsComma, into: &output)
            if let value = clientValue(.messageId), clientKind(.messageId) == UInt8(ascii: "\""), value.count > 2 {
                output.append(contentsOf: sources.bytes(.event, value))
            } else {
                let generated = context.messageIDGenerator.messageID(
                    receivedAtMilliseconds: context.receivedAtMilliseconds)
                JSONString.append(generated, to: &output)
            }
        case .originalTimestamp:
            guard let value = clientTimestamp ?? clientValue(.originalTimestamp) else { return }
            writeKey(field, needsComma: &needsComma, into: &output)
            output.append(contentsOf: sources.bytes(.event, value))
        case .projectId:
            writeKey(field, needsComma: &needsComma, into: &output)
            JSONString.append(context.sourceID, to: &output)
        case .receivedAt:
            writeKey(field, needsComma: &needsComma, into: &output)
            appendTimestamp(context.receivedAtMilliseconds, to: &output)
        case .sentAt:
            guard let (source, range) = sentAt else { return }
            writeKey(field, needsComma: &needsComma, into: &output)
            output.append(contentsOf: sources.bytes(source, range))
        case .timestamp:
            writeKey(field, needsComma: &needsComma, into: &output)
            appendTimestamp(timestampMilliseconds, to: &output)
        case .type:
            writeKey(field, needsComma: &needsComma, into: &output)
            JSONString.append(type.rawValue, to: &output)
        case .version:
            writeKey(field, needsComma: &needsComma, into: &output)
            output.append(UInt8(ascii: "2"))
        }
    }

    /// The client's `timestamp`, unless absent or null (a null timestamp is treated as not sent).
    var clientTimestamp: Range<Int>? {
        clientKind(.timestamp) == UInt8(ascii: "n") ? nil : clientValue(.timestamp)
    }

    /// The event's own `sentAt` if present (even null), else the batch's.
    var sentAt: (ByteSources.Source, Range<Int>)? {
        if let value = clientValue(.sentAt) { return (.event, value) }
        if envelope.sentAt != nil { return (.envelopeSentAt, 0..<sources.envelopeSentAt.count) }
        return nil
    }

    /// `receivedAt − (sentAt − timestamp)` when both client times parse; the client time when only it parses;
    /// otherwise `receivedAt`. The result is always an RFC 3339 time (years 0001-9999): a correction that would
    /// leave that range keeps the client's time, and a client time outside it gives `receivedAt`.
    var timestampMilliseconds: Int64 {
        let received = context.receivedAtMilliseconds
        guard let range = clientTimestamp, let original = parseTimestamp(.event, range),
            Timestamp.rfc3339Range.contains(original)
        else { return received }
        guard let (source, sentRange) = sentAt, let sent = parseTimestamp(source, sentRange) else { return original }
        let (skew, skewOverflow) = sent.subtractingReportingOverflow(original)
        let (skewed, overflow) = received.subtractingReportingOverflow(skew)
        return skewOverflow || overflow || !Timestamp.rfc3339Range.contains(skewed) ? original : skewed
    }

    /// Parses a JSON string value (quotes included) as a timestamp; nil for other values and for escaped strings.
    func parseTimestamp(_ source: ByteSources.Source, _ range: Range<Int>) -> Int64? {
        let bytes = sources.bytes(source, range)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\""), !bytes.contains(UInt8(ascii: "\\")) else {
            return nil
        }
        return Timestamp.milliseconds(parsing: UnsafeBufferPointer(rebasing: bytes[1..<(bytes.count - 1)]))
    }

    func appendTimestamp(_ milliseconds: Int64, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        Timestamp.append(milliseconds: milliseconds, to: &output)
        output.append(UInt8(ascii: "\""))
    }
}
