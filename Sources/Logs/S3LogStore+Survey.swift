import ArchiveFormat

extension S3LogStore {
    /// Lists what the bucket holds under `{prefix}/segment-logs/` and checks the layout of `source`'s folder: every
    /// day folder's name, and the file names of its oldest and newest `sampleDays` days.
    public func survey(source: String, sampleDays: Int = 3) async throws(LogsError) -> SegmentBucketSurvey {
        var survey = SegmentBucketSurvey(location: location, sourceID: source)
        let logs = bucket.prefix.isEmpty ? "\(ObjectKey.logsFolder)/" : "\(bucket.prefix)/\(ObjectKey.logsFolder)/"
        survey.sourceFolders = try await list(prefix: logs, delimiter: "/").commonPrefixes.map {
            String($0.dropFirst(logs.count).dropLast())
        }.sorted()
        guard survey.sourceFolderExists else { return survey }
        let folder = logs + source + "/"
        let listing = try await list(prefix: folder, delimiter: "/")
        survey.addDayFolders(listing.commonPrefixes.map { String($0.dropFirst(folder.count).dropLast()) })
        // Objects directly in the source folder are not in any day folder.
        survey.badDayFolders += listing.objects.map { String($0.key.dropFirst(folder.count)) }
        let sampled = Set(survey.days.prefix(sampleDays) + survey.days.suffix(sampleDays)).sorted()
        for day in sampled {
            let dayFolder = folder + day.folderName + "/"
            let names = try await list(prefix: dayFolder, delimiter: nil).objects.map {
                String($0.key.dropFirst(dayFolder.count))
            }.filter { !$0.isEmpty && !$0.hasSuffix("/") }
            survey.addFiles(names, day: day, folderKey: dayFolder)
        }
        return survey
    }
}
