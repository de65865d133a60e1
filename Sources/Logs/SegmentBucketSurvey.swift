import ArchiveFormat

/// What a bucket that holds Segment's files looks like, next to what Sluice will write there: the source folders
/// under `{prefix}/segment-logs/`, and for one source its day folders (UTC midnights in milliseconds) and a sample of
/// its file names (`{ms}.{12 hex}.{build}.{uuid}.gz`). Pure: built from listings.
public struct SegmentBucketSurvey: Sendable, Hashable {
    /// `s3://bucket/prefix`.
    public var location: String
    public var sourceID: String
    /// Folder names directly under `segment-logs/`.
    public var sourceFolders: [String] = []
    /// The source's day folders that are UTC midnights, oldest first.
    public var days: [ReceivedDay] = []
    /// The source's folders that are not.
    public var badDayFolders: [String] = []
    /// File names checked (the newest and the oldest days are sampled).
    public var checkedFiles = 0
    /// Keys whose file name is not in Segment's format.
    public var badFileNames: [String] = []
    /// Keys whose file was created before its day folder's midnight: not the layout Sluice writes.
    public var filesBeforeTheirDay: [String] = []

    public init(location: String, sourceID: String) {
        self.location = location
        self.sourceID = sourceID
    }

    public var sourceFolderExists: Bool { sourceFolders.contains(sourceID) }

    /// Layout problems: a destination added here would mix two layouts.
    public var problems: [String] {
        var found: [String] = []
        if !badDayFolders.isEmpty {
            found.append(
                "\(badDayFolders.count) folder(s) under segment-logs/\(sourceID)/ are not UTC midnights in "
                    + "milliseconds: \(badDayFolders.prefix(5).joined(separator: ", "))")
        }
        if !badFileNames.isEmpty {
            found.append(
                "\(badFileNames.count) file name(s) are not {ms}.{12 hex}.{build}.{uuid}.gz: "
                    + badFileNames.prefix(5).joined(separator: ", "))
        }
        if !filesBeforeTheirDay.isEmpty {
            found.append(
                "\(filesBeforeTheirDay.count) file(s) were created before their day folder's midnight: "
                    + filesBeforeTheirDay.prefix(5).joined(separator: ", "))
        }
        return found
    }

    /// Things the user should know that do not stop the import.
    public var warnings: [String] {
        guard !sourceFolderExists else { return [] }
        if sourceFolders.isEmpty {
            return [
                "\(location) has no segment-logs/ folder: no Segment files are there (check the bucket and prefix); "
                    + "Sluice will start segment-logs/\(sourceID)/"
            ]
        }
        return [
            "\(location)/segment-logs/ has no folder for source id \(sourceID): Sluice will start a new folder "
                + "beside \(sourceFolders.prefix(10).joined(separator: ", ")); to continue one of those, create the "
                + "source with `sluice sources create NAME --id ID --write-key KEY`"
        ]
    }

    /// The report, one finding a line.
    public var lines: [String] {
        var text = ["bucket: \(location)"]
        text.append(
            sourceFolders.isEmpty
                ? "segment-logs/: none"
                : "segment-logs/: \(sourceFolders.count) source folder(s): \(sourceFolders.prefix(20).joined(separator: ", "))"
        )
        if sourceFolderExists {
            let span = days.first.map { first in
                " (\(UTCDate(first)) to \(UTCDate(days.last ?? first)))"
            }
            text.append(
                "segment-logs/\(sourceID)/: \(days.count) day folder(s)\(span ?? ""), \(checkedFiles) file name(s) checked"
            )
        }
        return text
    }

    /// Checks a source's day folder names.
    public mutating func addDayFolders(_ names: [String]) {
        for name in names {
            if let day = ReceivedDay(folderName: name) { days.append(day) } else { badDayFolders.append(name) }
        }
        days.sort()
    }

    /// Checks the file names of one day folder (`names` relative to it, `key` the folder's key prefix).
    public mutating func addFiles(_ names: [String], day: ReceivedDay, folderKey: String) {
        for name in names {
            checkedFiles += 1
            guard let parsed = BatchFileName.parse(name) else {
                badFileNames.append(folderKey + name)
                continue
            }
            if parsed.createdAtMilliseconds < day.epochMilliseconds { filesBeforeTheirDay.append(folderKey + name) }
        }
    }
}
