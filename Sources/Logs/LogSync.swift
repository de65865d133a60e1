import ArchiveFormat
import Foundation

/// `sluice logs sync`: mirrors the selected day folders of a source into a local directory, laid out as
/// `aws s3 sync s3://bucket/segment-logs/{source}/ DIR` lays them out (`DIR/{day folder}/{file}`), with the
/// same names and bytes.
///
/// Downloads run in parallel (bounded by `concurrency`). Each file is written under `DIR/.sluice/tmp/`, fsynced,
/// then renamed to its final name, so a final name never holds a partial file; its object's size and ETag are
/// then appended to `DIR/.sluice/journal.tsv`, so a later run skips it. Partial files of an interrupted run are
/// removed when the next run starts.
///
/// ```swift
/// let sync = LogSync(store: store, options: .init(directory: "./logs"))
/// let summary = try await sync.run(source: source, selection: .day(day), progress: printer)
/// ```
public struct LogSync: Sendable {
    /// How to sync.
    public struct Options: Sendable, Hashable {
        public var directory: String
        /// Write `.ndjson` (decompressed) instead of `.gz`.
        public var decompress: Bool
        /// Files downloaded at once.
        public var concurrency: Int

        /// Creates options.
        public init(directory: String, decompress: Bool = false, concurrency: Int = 16) {
            self.directory = directory
            self.decompress = decompress
            self.concurrency = max(1, concurrency)
        }
    }

    public let store: any LogStore
    public let options: Options

    /// Creates a sync from `store` into `options.directory`.
    public init(store: any LogStore, options: Options) {
        self.store = store
        self.options = options
    }

    var stateDirectory: String { options.directory + "/.sluice" }
    var temporaryDirectory: String { stateDirectory + "/tmp" }
    var journalPath: String { stateDirectory + "/journal.tsv" }

    /// Syncs the selected days. Files that fail are reported to `progress` and counted; the others still
    /// complete. Throws `.incomplete` at the end when any failed, or a listing error before anything starts.
    @discardableResult
    public func run(
        source: SourceID, selection: DaySelection, progress: any SyncProgress
    ) async throws(LogsError) -> SyncSummary {
        let start = ContinuousClock.now
        let files = try await store.files(source: source, selection: selection)
        let plan = try await makePlan(files)
        var summary = SyncSummary()
        summary.listed = plan.items.count + plan.unsafeNames.count
        summary.skipped = plan.skipped.count
        summary.unsafe = plan.unsafeNames.count
        let work = plan.items.filter { $0.action != .skip }
        progress.began(files: work.count, bytes: work.reduce(0) { $0 + $1.file.size }, skipped: summary.skipped)

        let journal = try await BlockingIO.run { [journalPath] () throws(LogsError) in
            try JournalWriter(path: journalPath)
        }
        var firstError: LogsError?
        await withTaskGroup(of: (SyncPlan.Item, Result<FetchOutcome, LogsError>).self) { group in
            var pending = work.makeIterator()
            func startNext() {
                guard let item = pending.next() else { return }
                group.addTask { (item, await self.fetch(item, journal: journal)) }
            }
            for _ in 0..<options.concurrency { startNext() }
            while let (item, result) = await group.next() {
                switch result {
                case .success(let outcome):
                    if outcome.downloaded {
                        summary.downloaded += 1
                        summary.downloadedBytes += outcome.remoteSize
                    } else {
                        summary.skipped += 1
                    }
                    progress.finished(item.target, bytes: item.file.size, downloaded: outcome.downloaded)
                case .failure(let error):
                    summary.failed += 1
                    firstError = firstError ?? error
                    progress.failed(item.target, error: error)
                }
                startNext()
            }
        }
        try await BlockingIO.run { () throws(LogsError) in try journal.close() }
        summary.elapsedSeconds = Self.seconds(ContinuousClock.now - start)
        progress.ended(summary)
        if let firstError {
            throw LogsError(
                .incomplete,
                "\(summary.failed) of \(work.count) files were not downloaded; the first error: \(firstError.message) "
                    + "Run the same command again to fetch the rest.", underlying: firstError)
        }
        return summary
    }

    /// Lists what is on disk (on the thread pool) and plans against it. Clears partial files of earlier runs.
    func makePlan(_ files: [LogFile]) async throws(LogsError) -> SyncPlan {
        let directory = options.directory
        let decompress = options.decompress
        let (temporary, journalPath) = (temporaryDirectory, journalPath)
        return try await BlockingIO.run { () throws(LogsError) in
            try LocalFiles.makeDirectories(temporary)
            LocalFiles.emptyDirectory(temporary)
            let journal = LocalFiles.readText(journalPath).map(SyncJournal.init(text:)) ?? SyncJournal()
            var sizes: [String: Int64] = [:]
            for file in files {
                let target = SyncPlan.target(for: file, decompress: decompress)
                if let info = LocalFiles.fileInfo(directory + "/" + target) { sizes[target] = info.size }
            }
            return SyncPlan(files: files, journal: journal, localSizes: sizes, decompress: decompress)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
