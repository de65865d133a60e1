import ArchiveFormat
import NIOPosix
import Storage

/// `sluice logs` over Sluice's own archive store: the embedded default's local bucket, `{data-dir}/bucket`.
///
/// Listing and downloads go through the `ArchiveStore`, so the ETag is the store's: for the local bucket the
/// file's size and modification time in nanoseconds (`"{size}-{mtime ns}"`), free to compute and different
/// whenever a file is replaced (files there are written once, by rename). It is not a content hash, so it never
/// equals an S3 ETag.
///
/// ```swift
/// let store = LocalLogStore(root: "./sluice-data/bucket")
/// ```
public struct LocalLogStore: LogStore {
    public let root: String
    let store: LocalArchiveStore

    /// A store over the bucket directory `root`.
    public init(root: String, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.store = LocalArchiveStore(root: root, threadPool: threadPool)
    }

    public var location: String { root }

    public func days(source: SourceID) async throws(LogsError) -> [DayListing] {
        let folder = "\(ObjectKey.logsFolder)/\(source.rawValue)/"
        let files = try await list(prefix: folder).compactMap { object -> LogFile? in
            let rest = object.key.dropFirst(folder.count)
            guard let slash = rest.firstIndex(of: "/"), let day = ReceivedDay(folderName: rest[..<slash]) else {
                return nil
            }
            return logFile(object, day: day, folder: folder + day.folderName + "/")
        }
        guard !files.isEmpty else {
            let sources = Set(
                try await list(prefix: ObjectKey.logsFolder + "/").compactMap {
                    $0.key.split(separator: "/").dropFirst().first.map(String.init)
                }
            ).sorted()
            let hint =
                sources.isEmpty
                ? "No source has closed batches there yet (run `sluice flush` to close open batches)."
                : "Sources with logs there: \(sources.prefix(20).joined(separator: ", "))."
            throw LogsError(.sourceNotFound, "\(root) has no folder \(ObjectKey.logsFolder)/\(source)/. \(hint)")
        }
        return DayListing.summarize(files)
    }

    public func files(source: SourceID, day: ReceivedDay) async throws(LogsError) -> [LogFile] {
        let folder = ObjectKey.folder(prefix: "", sourceID: source, day: day)
        return try await list(prefix: folder).map { logFile($0, day: day, folder: folder) }.sorted { $0.name < $1.name }
    }

    public func download(_ file: LogFile, to path: String) async throws(LogsError) -> String {
        do throws(ArchiveStoreError) {
            return try await store.download(key: file.key, to: path).eTag ?? ""
        } catch  where error.code == .notFound {
            throw LogsError(.storeFailed, "\(root)/\(file.key) disappeared while syncing; run the sync again")
        } catch {
            throw LogsError(.fileError, error.message, underlying: error)
        }
    }

    public func localPath(of file: LogFile) -> String? { root + "/" + file.key }

    func list(prefix: String) async throws(LogsError) -> [StoredObject] {
        do throws(ArchiveStoreError) {
            return try await store.list(prefix: prefix)
        } catch {
            throw LogsError(.fileError, error.message, underlying: error)
        }
    }

    func logFile(_ object: StoredObject, day: ReceivedDay, folder: String) -> LogFile {
        LogFile(
            day: day, name: String(object.key.dropFirst(folder.count)), key: object.key, size: object.size,
            eTag: object.eTag ?? "")
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
