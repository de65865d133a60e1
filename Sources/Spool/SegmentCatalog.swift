/// One segment file as the spool tracks it. `bytes` counts only what is durable (written and synced).
struct SegmentInfo: Sendable, Hashable {
    var firstSequence: UInt64
    var lastSequence: UInt64?
    var bytes: Int
    var fileName: String { SegmentHeader.fileName(firstSequence: firstSequence) }
}

/// The retained segments in sequence order (pure). The last one is the active segment the writer appends to;
/// it is never released.
struct SegmentCatalog: Sendable {
    private(set) var segments: [SegmentInfo]
    private(set) var retainedBytes: Int

    init(_ segments: [SegmentInfo]) {
        self.segments = segments
        self.retainedBytes = segments.reduce(0) { $0 + $1.bytes }
    }

    /// The writer committed records to the active segment: it is now `bytes` long and ends at `lastSequence`.
    mutating func committed(bytes: Int, lastSequence: UInt64) {
        guard let index = segments.indices.last else { return }
        retainedBytes += bytes - segments[index].bytes
        segments[index].bytes = bytes
        segments[index].lastSequence = lastSequence
    }

    /// The writer started a new active segment.
    mutating func rolled(to segment: SegmentInfo) {
        segments.append(segment)
        retainedBytes += segment.bytes
    }

    /// Removes the leading non-active segments all of whose records are below `sequence`; returns them.
    mutating func release(below sequence: UInt64) -> [SegmentInfo] {
        var count = 0
        while count < segments.count - 1 {
            // An empty segment (possible only after a crash during a roll) holds nothing to keep.
            guard segments[count].lastSequence.map({ $0 < sequence }) ?? true else { break }
            count += 1
        }
        let released = Array(segments[..<count])
        segments.removeFirst(count)
        retainedBytes -= released.reduce(0) { $0 + $1.bytes }
        return released
    }
}
