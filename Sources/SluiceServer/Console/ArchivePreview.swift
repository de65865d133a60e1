/// The first lines of a staged file's decompressed NDJSON, for the archive browser: at most `maximumLines` lines of
/// at most `maximumLineBytes` bytes each (longer lines are cut and marked), plus the file's line count (its event
/// count). Pure: decompressed bytes in.
///
/// ```swift
/// let preview = ArchivePreview(ndjson: bytes)
/// preview.eventCount; preview.lines.first
/// ```
struct ArchivePreview: Encodable, Equatable {
    static let maximumLines = 20
    static let maximumLineBytes = 4_096

    let eventCount: Int
    let lines: [String]
    /// True when a line was cut at `maximumLineBytes`.
    let truncatedLines: Bool

    init(ndjson bytes: [UInt8]) {
        var count = 0
        var lines: [String] = []
        var cut = false
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            count += 1
            guard lines.count < Self.maximumLines else { continue }
            if line.count > Self.maximumLineBytes {
                cut = true
                lines.append(String(decoding: line.prefix(Self.maximumLineBytes), as: UTF8.self) + " …")
            } else {
                lines.append(String(decoding: line, as: UTF8.self))
            }
        }
        eventCount = count
        self.lines = lines
        truncatedLines = cut
    }
}
