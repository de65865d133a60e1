/// Assembles one enriched line: merges the client's sorted members with the fields Segment sets.
struct LineWriter {
    /// The fields the enricher sets or rewrites, in bytewise order of their names.
    enum Field: Int, CaseIterable {
        case channel, context, integrations, messageId, originalTimestamp, projectId, receivedAt, sentAt
        case timestamp, type, version

        /// The field a client member name maps to, if Sluice sets that field.
        init?(name: MemberName) {
            switch name {
            case .channel: self = .channel
            case .context: self = .context
            case .integrations: self = .integrations
            case .messageId: self = .messageId
            case .originalTimestamp: self = .originalTimestamp
            case .projectId: self = .projectId
            case .receivedAt: self = .receivedAt
            case .sentAt: self = .sentAt
            case .timestamp: self = .timestamp
            case .type: self = .type
            case .version: self = .version
            default: return nil
            }
        }

        /// The field's name as static bytes (no reference counting on the hot path).
        var spelling: StaticString {
            switch self {
            case .channel: "channel"
            case .context: "context"
            case .integrations: "integrations"
            case .messageId: "messageId"
            case .originalTimestamp: "originalTimestamp"
            case .projectId: "projectId"
            case .receivedAt: "receivedAt"
            case .sentAt: "sentAt"
            case .timestamp: "timestamp"
            case .type: "type"
            case .version: "version"
            }
        }

        var name: KeyName { KeyName(spelling) }
    }

    let sources: ByteSources
    let spans: EventSpans
    let extras: ExtrasLayout
    let type: CallType
    let envelope: BatchEnvelope
    let context: EnrichmentContext
    /// The client's values of the fields Sluice sets, by name (ranges in the event buffer).
    var client = InlineArray<11, Range<Int>?>(repeating: nil)

    init(
        sources: ByteSources, spans: EventSpans, extras: ExtrasLayout, type: CallType, envelope: BatchEnvelope,
        context: EnrichmentContext
    ) {
        self.sources = sources
        self.spans = spans
        self.extras = extras
        self.type = type
        self.envelope = envelope
        self.context = context
    }

    mutating func write(topLevel members: inout [MemberRef], nested: inout [MemberRef], into output: inout [UInt8]) {
        // The members whose values Sluice sets or rewrites are noted (the last occurrence wins); the rest pass
        // through in sorted order.
        for (position, span) in spans.event.enumerated() {
            if let field = Field(name: span.name) {
                client[field.rawValue] = span.value
            } else {
                members.append(sources.member(span, in: .event, precedence: Int32(position)))
            }
        }
        sources.sortAndDeduplicate(&members)

        output.append(UInt8(ascii: "{"))
        var needsComma = false
        var passthrough = members.makeIterator()
        var next = passthrough.next()
        // Raw values are the output order; `version` is the last.
        for raw in 0...Field.version.rawValue {
            guard let field = Field(rawValue: raw) else { continue }
            let name = field.name
            while let member = next, sources.keyPrecedes(member, name) {
                writeKey(member.source, member.key, needsComma: &needsComma, into: &output)
                output.append(contentsOf: sources.bytes(member.source, member.value))
                next = passthrough.next()
            }
            writeField(field, nested: &nested, needsComma: &needsComma, into: &output)
        }
        while let member = next {
            writeKey(member.source, member.key, needsComma: &needsComma, into: &output)
            output.append(contentsOf: sources.bytes(member.source, member.value))
            next = passthrough.next()
        }
        output.append(UInt8(ascii: "}"))
    }

    func writeKey(
        _ source: ByteSources.Source, _ key: Range<Int>, needsComma: inout Bool, into output: inout [UInt8]
    ) {
        if needsComma { output.append(UInt8(ascii: ",")) }
        needsComma = true
        output.append(contentsOf: sources.bytes(source, key))
        output.append(UInt8(ascii: ":"))
    }

    func writeKey(_ field: Field, needsComma: inout Bool, into output: inout [UInt8]) {
        if needsComma { output.append(UInt8(ascii: ",")) }
        needsComma = true
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: field.name.bytes)
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// The client's value for `field`, if it sent one.
    func clientValue(_ field: Field) -> Range<Int>? { client[field.rawValue] }

    /// The first byte of the client's value for `field` (`{`, `"`, `n`, ...), if it sent one.
    func clientKind(_ field: Field) -> UInt8? {
        guard let range = client[field.rawValue], !range.isEmpty else { return nil }
        return sources.event[range.lowerBound]
    }
}

/// The member spans the decoder recorded for one event: its own members, its `context`'s, and the batch-level
/// `context`'s (nil when that object was not recorded: it is then scanned).
struct EventSpans {
    var event: UnsafeBufferPointer<MemberSpan>
    var eventContext: UnsafeBufferPointer<MemberSpan>?
    var envelopeContext: UnsafeBufferPointer<MemberSpan>?
}
