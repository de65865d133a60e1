/// The S3 key of a batch file: `{prefix}/segment-logs/{source id}/{received day}/{file name}`, with no leading
/// slash (and no prefix part when the prefix is empty).
///
/// ```swift
/// let key = try ObjectKey(prefix: "path/prefix", sourceID: source, day: day, fileName: name)
/// key.description  // "path/prefix/segment-logs/6Q2N6sz6Aq/1552003200000/1552044558392.f2a929f376a0.dev....gz"
/// ```
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    /// The folder every Segment S3 destination writes under.
    public static let logsFolder = "segment-logs"

    /// The key prefix from the bucket string (`""` for none), without leading or trailing slashes.
    public let prefix: String
    /// The source the events came from.
    public let sourceID: SourceID
    /// The UTC day the events were received.
    public let day: ReceivedDay
    /// The batch file name.
    public let fileName: BatchFileName

    /// Creates a key; `prefix` is validated like a ``BucketString`` prefix (surrounding slashes are not allowed).
    public init(prefix: String, sourceID: SourceID, day: ReceivedDay, fileName: BatchFileName)
        throws(ArchiveFormatError)
    {
        try BucketString.validatePrefix(prefix)
        self.prefix = prefix
        self.sourceID = sourceID
        self.day = day
        self.fileName = fileName
    }

    /// The folder holding one source's files for one day, with a trailing slash (for listing).
    public static func folder(prefix: String, sourceID: SourceID, day: ReceivedDay) -> String {
        let base = "\(logsFolder)/\(sourceID.rawValue)/\(day.folderName)/"
        return prefix.isEmpty ? base : "\(prefix)/\(base)"
    }

    public var description: String {
        Self.folder(prefix: prefix, sourceID: sourceID, day: day) + fileName.description
    }

    /// Parses a key written in this layout, or returns nil. The last four segments are `segment-logs`, the
    /// source, the day and the file; whatever precedes them is the prefix.
    public static func parse(_ key: some StringProtocol) -> ObjectKey? {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 4 else { return nil }
        let tail = segments.suffix(4)
        let first = tail.startIndex
        guard tail[first] == Substring(logsFolder),
            let source = try? SourceID(String(tail[first + 1])),
            let day = ReceivedDay(folderName: tail[first + 2]),
            let fileName = BatchFileName.parse(tail[first + 3])
        else { return nil }
        let prefix = segments.prefix(segments.count - 4).joined(separator: "/")
        // A key like "/segment-logs/..." has one empty prefix segment, which no valid key has.
        guard segments.count == 4 || !prefix.isEmpty else { return nil }
        return try? ObjectKey(prefix: prefix, sourceID: source, day: day, fileName: fileName)
    }
}
