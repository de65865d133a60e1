import ArchiveFormat
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `sluice logs cat`: the decompressed NDJSON of one day, file after file in name (creation) order, written to a
/// file descriptor (standard output) for `jq` and friends. Memory stays bounded: remote files are fetched a few
/// ahead into temporary files and decompressed as streams.
///
/// ```swift
/// let cat = LogCat(store: store)
/// try await cat.run(source: source, day: day, filter: EventFilter(event: "Signed Up"))
/// ```
public struct LogCat: Sendable {
    public let store: any LogStore
    /// Remote files fetched ahead of the one being written.
    public var prefetch: Int
    /// Where the lines go.
    public var outputDescriptor: Int32

    /// Creates a reader of `store` writing to `outputDescriptor`.
    public init(store: any LogStore, prefetch: Int = 4, outputDescriptor: Int32 = STDOUT_FILENO) {
        self.store = store
        self.prefetch = max(1, prefetch)
        self.outputDescriptor = outputDescriptor
    }

    /// Writes the day's events; with `filter`, only the matching lines. Returns the number of files read.
    /// Throws `.outputClosed` when the reader went away (`| head`).
    @discardableResult
    public func run(source: SourceID, day: ReceivedDay, filter: EventFilter?) async throws(LogsError) -> Int {
        let files = try await store.requireFiles(source: source, day: day)
        let fd = outputDescriptor
        if files.allSatisfy({ store.localPath(of: $0) != nil }) {
            for file in files {
                guard let path = store.localPath(of: file) else { continue }
                try await BlockingIO.run { () throws(LogsError) in try Self.write(path, to: fd, filter: filter) }
            }
            return files.count
        }
        let temporary = FileManager.default.temporaryDirectory.path + "/sluice-cat-" + UUID().uuidString.lowercased()
        try await BlockingIO.run { () throws(LogsError) in try LocalFiles.makeDirectories(temporary) }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try await LogsError.catching {
            try await streamRemote(files, temporary: temporary, fd: fd, filter: filter)
        }
        return files.count
    }

    /// Fetches up to `prefetch` files ahead, and writes them strictly in order.
    func streamRemote(_ files: [LogFile], temporary: String, fd: Int32, filter: EventFilter?) async throws {
        let store = self.store
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var launched = 0
            func launch() {
                let index = launched
                launched += 1
                group.addTask {
                    let path = "\(temporary)/\(index).gz"
                    _ = try await store.download(files[index], to: path)
                    return (index, path)
                }
            }
            while launched < min(prefetch, files.count) { launch() }
            var ready: [Int: String] = [:]
            var next = 0
            while next < files.count {
                if let path = ready.removeValue(forKey: next) {
                    let name = files[next].key
                    try await BlockingIO.run { () throws(LogsError) in
                        defer { LocalFiles.remove(path) }
                        try Self.write(path, to: fd, filter: filter, name: name)
                    }
                    next += 1
                    if launched < files.count { launch() }
                } else if let (index, path) = try await group.next() {
                    ready[index] = path
                }
            }
        }
    }

    /// Decompresses one file into `fd`, through `filter` when there is one.
    static func write(_ path: String, to fd: Int32, filter: EventFilter?, name: String? = nil) throws(LogsError) {
        let inflater = try GzipStream(name: name ?? path)
        var output = OutputBuffer(fd: fd)
        var splitter = LineSplitter()
        let emit = { (line: UnsafeRawBufferPointer) throws(LogsError) in
            guard let filter, filter.matches(line) else { return }
            try output.append(line)
            try output.appendNewline()
        }
        try LocalFiles.readChunks(path) { chunk throws(LogsError) in
            try inflater.feed(chunk) { piece throws(LogsError) in
                if filter == nil { try output.append(piece) } else { try splitter.feed(piece, emit) }
            }
        }
        try inflater.finish()
        try splitter.finish(emit)
        try output.flush()
    }
}

/// Collects small writes into large ones.
struct OutputBuffer {
    let fd: Int32
    var bytes: [UInt8] = []
    static let limit = 1 << 18

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(Self.limit)
    }

    mutating func append(_ piece: UnsafeRawBufferPointer) throws(LogsError) {
        if bytes.count + piece.count > Self.limit { try flush() }
        if piece.count >= Self.limit { return try Self.write(fd, piece) }
        bytes.append(contentsOf: piece)
    }

    mutating func appendNewline() throws(LogsError) {
        if bytes.count + 1 > Self.limit { try flush() }
        bytes.append(UInt8(ascii: "\n"))
    }

    mutating func flush() throws(LogsError) {
        guard !bytes.isEmpty else { return }
        try bytes.withBytes { buffer throws(LogsError) in try Self.write(fd, buffer) }
        bytes.removeAll(keepingCapacity: true)
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(LogsError) {
        do throws(LogsError) {
            try LocalFiles.writeAll(fd, buffer, path: "standard output")
        } catch  where errno == EPIPE {
            throw LogsError(.outputClosed, "the reader closed standard output")
        }
    }
}
