import ArchiveFormat

/// Where Segment-layout logs are read from: an S3 bucket (`S3LogStore`) or the embedded default's local
/// bucket directory (`LocalLogStore`).
public protocol LogStore: Sendable {
    /// Where the logs are, for messages (`s3://bucket/prefix`, `/data/bucket`).
    var location: String { get }
    /// The source's day folders with file counts and bytes, oldest first.
    /// Throws `.sourceNotFound` when the source has no folder at all.
    func days(source: SourceID) async throws(LogsError) -> [DayListing]
    /// The files in one day folder, sorted by name; empty when the folder does not exist.
    func files(source: SourceID, day: ReceivedDay) async throws(LogsError) -> [LogFile]
    /// Copies the object's stored bytes (gzip, never decoded) to a new file at `path` and returns the ETag of
    /// what was copied.
    func download(_ file: LogFile, to path: String) async throws(LogsError) -> String
    /// A path the file can be read at directly, when the store is on this machine; nil for remote stores.
    func localPath(of file: LogFile) -> String?
}

extension LogStore {
    /// The files of one day; `.dayNotFound` (or `.sourceNotFound`) when the day folder is empty or missing.
    public func requireFiles(source: SourceID, day: ReceivedDay) async throws(LogsError) -> [LogFile] {
        let files = try await files(source: source, day: day)
        guard files.isEmpty else { return files }
        let days = try await days(source: source)
        let known = days.suffix(5).map { "\(UTCDate($0.day)) (\($0.day.folderName))" }.joined(separator: ", ")
        throw LogsError(
            .dayNotFound,
            "\(location) has no files for source \(source) on \(UTCDate(day)) (folder \(day.folderName)). "
                + "The latest days are: \(known). `sluice logs days \(source)` lists them all.")
    }

    /// The files of every selected day, oldest day first.
    public func files(source: SourceID, selection: DaySelection) async throws(LogsError) -> [LogFile] {
        if case .day(let day) = selection { return try await requireFiles(source: source, day: day) }
        let days = selection.select(from: try await days(source: source).map(\.day))
        var files: [LogFile] = []
        for day in days { files += try await self.files(source: source, day: day) }
        return files
    }
}
