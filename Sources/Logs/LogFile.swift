import ArchiveFormat

/// One object in a source's day folder, as listed by a `LogStore`.
public struct LogFile: Hashable, Sendable {
    /// The received day whose folder holds the file.
    public var day: ReceivedDay
    /// The path below the day folder (normally just the batch file name).
    public var name: String
    /// The full object key (or the path relative to the local bucket).
    public var key: String
    /// Bytes as stored (gzip).
    public var size: Int64
    /// The S3 ETag without quotes; for the local bucket, size and modification time (see `LocalLogStore`).
    public var eTag: String

    /// Creates a listed file.
    public init(day: ReceivedDay, name: String, key: String, size: Int64, eTag: String) {
        self.day = day
        self.name = name
        self.key = key
        self.size = size
        self.eTag = eTag
    }
}

/// A source's day folder with what it holds.
public struct DayListing: Hashable, Sendable {
    public var day: ReceivedDay
    public var fileCount: Int
    public var bytes: Int64

    /// Creates a listing.
    public init(day: ReceivedDay, fileCount: Int, bytes: Int64) {
        self.day = day
        self.fileCount = fileCount
        self.bytes = bytes
    }

    /// Sums files into one listing per day, oldest first.
    public static func summarize(_ files: [LogFile]) -> [DayListing] {
        var byDay: [ReceivedDay: DayListing] = [:]
        for file in files {
            byDay[file.day, default: DayListing(day: file.day, fileCount: 0, bytes: 0)].fileCount += 1
            byDay[file.day, default: DayListing(day: file.day, fileCount: 0, bytes: 0)].bytes += file.size
        }
        return byDay.values.sorted { $0.day < $1.day }
    }
}

extension LogFile {
    /// Whether a name below a day folder can become a local path: `/`-separated segments that are not empty,
    /// `.` or `..`, without control characters or backslashes, and not starting with `.sluice`.
    static func isSafeRelativePath(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix(".sluice"),
            !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") })
        else { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0 == "." || $0 == ".."
        }
    }
}
