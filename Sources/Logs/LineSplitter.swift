/// Cuts a stream of bytes into lines, carrying a partial line from one chunk to the next. Used by
/// `sluice logs cat --grep`. Only the one partial line is held in memory (Segment events are at most 32 KB).
struct LineSplitter {
    var carry: [UInt8] = []

    /// Calls `line` with each complete line (without its newline) in `chunk`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ line: (UnsafeRawBufferPointer) throws(LogsError) -> Void)
        throws(LogsError)
    {
        var start = 0
        for index in 0..<chunk.count where chunk[index] == UInt8(ascii: "\n") {
            if carry.isEmpty {
                try line(UnsafeRawBufferPointer(rebasing: chunk[start..<index]))
            } else {
                carry.append(contentsOf: chunk[start..<index])
                let whole = carry
                carry.removeAll(keepingCapacity: true)
                try whole.withBytes { bytes throws(LogsError) in try line(bytes) }
            }
            start = index + 1
        }
        if start < chunk.count { carry.append(contentsOf: chunk[start...]) }
    }

    /// The last line when the input did not end with a newline.
    mutating func finish(_ line: (UnsafeRawBufferPointer) throws(LogsError) -> Void) throws(LogsError) {
        guard !carry.isEmpty else { return }
        let whole = carry
        carry.removeAll()
        try whole.withBytes { bytes throws(LogsError) in try line(bytes) }
    }
}
