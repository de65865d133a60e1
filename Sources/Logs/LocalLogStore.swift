import ArchiveFormat
import NIOPosix

/// The embedded default's local bucket, `{data-dir}/bucket`, whose relative paths are object keys.
///
/// Files there are written once, by rename, and never changed, so the ETag equivalent is the file's size and
/// modification time in nanoseconds (`"{size}-{mtime ns}"`): free to compute, and different whenever a file
/// is replaced. It is not a content hash, so it never equals an S3 ETag.
///
/// ```swift
/// let store = LocalLogStore(root: "./sluice-data/bucket")
/// ```
public struct LocalLogStore: LogStore {
    public let root: String
    let threadPool: NIOThreadPool

    /// A store over the bucket directory `root`.
    public init(root: String, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.threadPool = threadPool
    }

    public var location: String { root }

    func sourceFolder(_ source: SourceID) -> String { "\(ObjectKey.logsFolder)/\(source.rawValue)" }

    public func days(source: SourceID) async throws(LogsError) -> [DayListing] {
        let folder = root + "/" + sourceFolder(source)
        let (exists, names) = await run { (LocalFiles.isDirectory(folder), LocalFiles.entries(folder)) }
        guard exists else {
            let sources = await run { LocalFiles.entries(root + "/" + ObjectKey.logsFolder) }
            let hint =
                sources.isEmpty
                ? "No source has closed batches there yet (run `sluice flush` to close open batches)."
                : "Sources with logs there: \(sources.prefix(20).joined(separator: ", "))."
            throw LogsError(.sourceNotFound, "\(root) has no folder \(ObjectKey.logsFolder)/\(source)/. \(hint)")
        }
        var result: [DayListing] = []
        for day in names.compactMap({ ReceivedDay(folderName: $0) }).sorted() {
            let files = try await files(source: source, day: day)
            result.append(DayListing(day: day, fileCount: files.count, bytes: files.reduce(0) { $0 + $1.size }))
        }
        return result
    }

    public func files(source: SourceID, day: ReceivedDay) async throws(LogsError) -> [LogFile] {
        let folder = ObjectKey.folder(prefix: "", sourceID: source, day: day)
        let directory = root + "/" + folder
        return await run {
            var found: [LogFile] = []
            func walk(_ relative: String) {
                for name in LocalFiles.entries(relative.isEmpty ? directory : directory + "/" + relative) {
                    let path = relative.isEmpty ? name : relative + "/" + name
                    if LocalFiles.isDirectory(directory + "/" + path) {
                        walk(path)
                    } else if let info = LocalFiles.fileInfo(directory + "/" + path) {
                        found.append(
                            LogFile(
                                day: day, name: path, key: folder + path, size: info.size,
                                eTag: "\(info.size)-\(info.modifiedNanoseconds)"))
                    }
                }
            }
            walk("")
            return found.sorted { $0.name < $1.name }
        }
    }

    public func download(_ file: LogFile, to path: String) async throws(LogsError) -> String {
        let source = root + "/" + file.key
        return try await runThrowing { () throws(LogsError) in
            guard let before = LocalFiles.fileInfo(source) else {
                throw LogsError(.storeFailed, "\(source) disappeared while syncing; run the sync again")
            }
            try LocalFiles.copy(source, to: path)
            return "\(before.size)-\(before.modifiedNanoseconds)"
        }
    }

    public func localPath(of file: LogFile) -> String? { root + "/" + file.key }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        (try? await threadPool.runIfActive(body)) ?? body()
    }

    func runThrowing<T: Sendable>(_ body: @escaping @Sendable () throws(LogsError) -> T) async throws(LogsError) -> T {
        try await BlockingIO.run(on: threadPool, body)
    }
}

/// Runs blocking work on a NIO thread pool, keeping the typed error.
enum BlockingIO {
    static func run<T: Sendable>(
        on pool: NIOThreadPool = .singleton, _ body: @escaping @Sendable () throws(LogsError) -> T
    ) async throws(LogsError) -> T {
        let result: Result<T, LogsError>
        do {
            result = try await pool.runIfActive { () -> Result<T, LogsError> in
                do throws(LogsError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw LogsError(.fileError, "the I/O thread pool is shut down", underlying: error)
        }
        return try result.get()
    }
}
