/// Reads the records of one segment file in chunks (bounded memory: one chunk, or one record if larger),
/// verifying length, checksum and sequence order. Blocking I/O.
struct SegmentScanner {
    /// Why a scan stopped.
    enum Stop: Equatable {
        case end
        case incomplete
        case corrupt(RecordCorruption)
    }

    struct Outcome {
        /// Offset just past the last good record.
        var validEnd: Int
        var stop: Stop
        /// The last good record's sequence; nil if there was none.
        var lastSequence: UInt64?
        var recordCount: Int
    }

    static let chunkSize = 1 << 20

    let fd: Int32
    let path: String

    /// Visits every good record in `[start, limit)` in order and stops at the first bad one. Sequences must be
    /// strictly increasing and greater than `previousSequence`. `visit` gets the record and the buffer that
    /// `RecordView.payload` indexes.
    func scan(
        from start: Int, limit initialLimit: Int, after previousSequence: UInt64?,
        _ visit: (RecordView, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Outcome {
        var outcome = Outcome(validEnd: start, stop: .end, lastSequence: nil, recordCount: 0)
        var previous = previousSequence
        var limit = initialLimit
        var buffer = [UInt8](repeating: 0, count: min(Self.chunkSize, max(0, limit - start)))
        var bufferStart = start  // file offset of buffer[0]
        var filled = 0
        var cursor = 0  // next record's offset in buffer
        while bufferStart + cursor < limit {
            let want = min(buffer.count - filled, limit - bufferStart - filled)
            if want > 0 {
                let offset = bufferStart + filled
                let got = try buffer.withUnsafeMutableBytes { raw in
                    try FileSystem.read(
                        fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), count: want, at: offset,
                        path)
                }
                filled += got
                if got < want { limit = bufferStart + filled }  // the file is shorter than expected
            }
            let result = buffer.withUnsafeBytes {
                RecordFraming.decode(UnsafeRawBufferPointer(rebasing: $0[..<filled]), at: cursor)
            }
            switch result {
            case .record(let view):
                if let previous, view.sequence <= previous {
                    outcome.stop = .corrupt(.sequenceOutOfOrder)
                    return outcome
                }
                try buffer.withUnsafeBytes { try visit(view, UnsafeRawBufferPointer(rebasing: $0[..<filled])) }
                outcome.lastSequence = view.sequence
                previous = view.sequence
                outcome.recordCount += 1
                cursor = view.end
                outcome.validEnd = bufferStart + cursor
            case .incomplete(let required):
                if bufferStart + cursor + required > limit {
                    outcome.stop = .incomplete
                    return outcome
                }
                // Slide the partial record to the front; grow only when one record is larger than a chunk.
                let remaining = filled - cursor
                if cursor > 0 {
                    buffer.withUnsafeMutableBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        base.copyMemory(from: base + cursor, byteCount: remaining)
                    }
                }
                bufferStart += cursor
                filled = remaining
                cursor = 0
                if required > buffer.count { buffer += [UInt8](repeating: 0, count: required - buffer.count) }
            case .corrupt(let reason):
                outcome.stop = .corrupt(reason)
                return outcome
            }
        }
        return outcome
    }

    /// The offset just past the last non-zero byte in `[start, end)` of the file, or `start` if all are zero.
    /// Reads backwards in chunks, so a zero tail costs one pass at most.
    func endOfNonZeroBytes(from start: Int, to end: Int) throws(SpoolError) -> Int {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var chunkEnd = end
        while chunkEnd > start {
            let chunkStart = max(start, chunkEnd - Self.chunkSize)
            let count = chunkEnd - chunkStart
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SpoolError) in
                    try FileSystem.read(fd, into: raw, count: count, at: chunkStart, path)
                }
            }
            let got = try result.get()
            if let last = buffer[..<got].lastIndex(where: { $0 != 0 }) { return chunkStart + last + 1 }
            chunkEnd = chunkStart
        }
        return start
    }
}
