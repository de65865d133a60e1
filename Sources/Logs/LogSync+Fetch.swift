import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The result of putting one file in place.
struct FetchOutcome: Sendable {
    /// False when the local file was verified by MD5 and kept.
    var downloaded: Bool
    var remoteSize: Int64
}

extension LogSync {
    /// Puts one planned file in place: verify by MD5 if the plan says so, else download to a temporary file,
    /// check its size, decompress if asked, fsync, rename to the final name, and journal it.
    func fetch(_ item: SyncPlan.Item, journal: JournalWriter) async -> Result<FetchOutcome, LogsError> {
        do throws(LogsError) {
            let finalPath = options.directory + "/" + item.target
            if case .verify(let md5) = item.action {
                let matches = try await BlockingIO.run { () throws(LogsError) in
                    guard try LocalFiles.md5(finalPath) == md5 else { return false }
                    try journal.append(
                        .init(
                            path: item.target, remoteSize: item.file.size, eTag: item.file.eTag,
                            localSize: item.file.size))
                    return true
                }
                if matches { return .success(FetchOutcome(downloaded: false, remoteSize: item.file.size)) }
            }
            let part = temporaryDirectory + "/" + UUID().uuidString.lowercased() + ".part"
            let eTag: String
            do throws(LogsError) {
                eTag = try await store.download(item.file, to: part)
            } catch {
                LocalFiles.remove(part)
                throw error
            }
            let decompress = SyncPlan.decompresses(item.file, decompress: options.decompress)
            let file = item.file
            let size = try await BlockingIO.run { () throws(LogsError) in
                defer { LocalFiles.remove(part) }
                let size = LocalFiles.fileInfo(part)?.size ?? -1
                // The same ETag with another size means something decoded the gzip body on the way.
                if eTag == file.eTag && size != file.size {
                    throw LogsError(
                        .sizeMismatch,
                        "\(file.key): the listing says \(file.size) bytes but \(size) arrived. A proxy or HTTP stack "
                            + "probably decompressed the Content-Encoding: gzip body; read the bucket directly.")
                }
                var source = part
                var localSize = size
                if decompress {
                    source = part + ".ndjson"
                    do throws(LogsError) {
                        localSize = try GzipStream.decompress(part, to: source)
                    } catch {
                        LocalFiles.remove(source)
                        throw error
                    }
                } else {
                    try LocalFiles.sync(part)
                }
                try LocalFiles.makeDirectories((finalPath as NSString).deletingLastPathComponent)
                try LocalFiles.rename(source, to: finalPath)
                try journal.append(.init(path: item.target, remoteSize: size, eTag: eTag, localSize: localSize))
                return size
            }
            return .success(FetchOutcome(downloaded: true, remoteSize: size))
        } catch {
            return .failure(error)
        }
    }
}

/// Appends journal lines from many threads: one `write` per line on an `O_APPEND` descriptor, which the kernel
/// keeps whole. Not fsynced per line: a lost line only costs an MD5 check (or a download) on the next run.
final class JournalWriter: @unchecked Sendable {
    let fd: Int32
    let path: String

    init(path: String) throws(LogsError) {
        self.path = path
        fd = try LocalFiles.open(path, O_WRONLY | O_CREAT | O_APPEND)
    }

    func append(_ entry: SyncJournal.Entry) throws(LogsError) {
        try Array(entry.line.utf8).withBytes { bytes throws(LogsError) in
            try LocalFiles.writeAll(fd, bytes, path: path)
        }
    }

    /// Syncs and closes; compacts the journal to one line per file when it has grown past twice that.
    func close() throws(LogsError) {
        _ = fsync(fd)
        Glibc.close(fd)
        guard let text = LocalFiles.readText(path) else { return }
        let journal = SyncJournal(text: text)
        let lines = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        guard lines > 2 * journal.entries.count + 64 else { return }
        let temporary = path + ".tmp"
        let out = try LocalFiles.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        defer { Glibc.close(out) }
        try Array(journal.text.utf8).withBytes { bytes throws(LogsError) in
            try LocalFiles.writeAll(out, bytes, path: temporary)
        }
        guard fsync(out) == 0 else { throw LocalFiles.failure("fsync", temporary) }
        try LocalFiles.rename(temporary, to: path)
    }
}
