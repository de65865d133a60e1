/// Turns a validated event into the line Segment stores: the client's bytes plus the fields Segment adds on ingest
/// (`receivedAt`, `timestamp`, `originalTimestamp`, `messageId`, `projectId`, `version`, `type`, `channel`,
/// `integrations`, and `context` with `library` and `ip`), with top-level and `context` keys sorted bytewise.
///
/// Client values are copied byte for byte, never re-serialized. Keep one enricher per writer and reuse it: it
/// keeps scratch buffers between calls, so enriching allocates little.
///
/// ```swift
/// var enricher = Enricher()
/// var lines: [UInt8] = []
/// for event in request.events {
///     enricher.appendLine(for: event, of: request, context: context, into: &lines)
///     lines.append(UInt8(ascii: "\n"))
/// }
/// ```
public struct Enricher {
    private var topLevel: [MemberRef] = []
    private var nested: [MemberRef] = []
    private var extras: [UInt8] = []

    /// Creates an enricher.
    public init() {}

    /// Appends the enriched JSON object for `event` (no trailing newline) to `buffer`.
    ///
    /// - Parameters:
    ///   - event: a valid event of `request`.
    ///   - request: the decoded request, for its batch-level `sentAt`, `context` and `integrations` (empty for
    ///     single calls) and the member positions the decoder recorded.
    ///   - context: source id, receive time, peer address and messageId generator.
    public mutating func appendLine(
        for event: EventSlice, of request: DecodedRequest, context: EnrichmentContext, into buffer: inout [UInt8]
    ) {
        // Move the scratch buffers out of `self` so the closures below can use them alongside `self`-free code.
        var topLevel = self.topLevel
        var nested = self.nested
        var extras = self.extras
        self.topLevel = []
        self.nested = []
        self.extras = []
        let layout = ExtrasLayout(peerIP: context.peerIP, into: &extras)
        let envelope = request.envelope
        event.bytes.withUnsafeBufferPointer { eventBytes in
            withBytes(envelope.context) { envelopeContext in
                withBytes(envelope.integrations) { envelopeIntegrations in
                    withBytes(envelope.sentAt) { envelopeSentAt in
                        extras.withUnsafeBufferPointer { extrasBytes in
                            request.members.topLevel.withUnsafeBufferPointer { topLevelSpans in
                                request.members.context.withUnsafeBufferPointer { contextSpans in
                                    let sources = ByteSources(
                                        event: eventBytes, envelopeContext: envelopeContext,
                                        envelopeIntegrations: envelopeIntegrations, envelopeSentAt: envelopeSentAt,
                                        extras: extrasBytes)
                                    let spans = EventSpans(
                                        event: UnsafeBufferPointer(rebasing: topLevelSpans[event.members]),
                                        eventContext: event.contextMembers.map {
                                            UnsafeBufferPointer(rebasing: contextSpans[$0])
                                        },
                                        envelopeContext: envelope.contextMembers.map {
                                            UnsafeBufferPointer(rebasing: contextSpans[$0])
                                        })
                                    var writer = LineWriter(
                                        sources: sources, spans: spans, extras: layout, type: event.type,
                                        envelope: envelope, context: context)
                                    writer.write(topLevel: &topLevel, nested: &nested, into: &buffer)
                                }
                            }
                        }
                    }
                }
            }
        }
        topLevel.removeAll(keepingCapacity: true)
        nested.removeAll(keepingCapacity: true)
        extras.removeAll(keepingCapacity: true)
        self.topLevel = topLevel
        self.nested = nested
        self.extras = extras
    }

    private func withBytes<Result>(
        _ slice: ArraySlice<UInt8>?, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        guard let slice else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return slice.withUnsafeBufferPointer(body)
    }
}

/// Bytes Sluice supplies itself for `context` defaults, laid out in the extras buffer:
/// `"library"{"name":"unknown","version":"unknown"}"ip""<peer ip>"`.
struct ExtrasLayout {
    var libraryKey: Range<Int>
    var libraryValue: Range<Int>
    var ipKey: Range<Int>
    var ipValue: Range<Int>?

    init(peerIP: String?, into extras: inout [UInt8]) {
        func add(_ text: String) -> Range<Int> {
            let start = extras.count
            extras.append(contentsOf: text.utf8)
            return start..<extras.count
        }
        libraryKey = add("\"library\"")
        libraryValue = add("{\"name\":\"unknown\",\"version\":\"unknown\"}")
        ipKey = add("\"ip\"")
        if let peerIP {
            let start = extras.count
            JSONString.append(peerIP, to: &extras)
            ipValue = start..<extras.count
        }
    }
}
