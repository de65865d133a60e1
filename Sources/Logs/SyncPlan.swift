/// What a sync must do for each listed file, given what is already on disk. Pure: the caller lists the store,
/// reads the journal and stats the local files.
///
/// A file is skipped when it exists with the size the journal recorded and the journal's object size and ETag
/// equal the listing's. A gzip file that exists with the object's size but no journal entry (a crash between
/// rename and journal append, or a directory filled by `aws s3 sync`) is verified by its MD5 when the ETag is a
/// plain MD5 (single-part upload); anything else is downloaded again.
///
/// ```swift
/// let plan = SyncPlan(files: listed, journal: journal, localSizes: sizes, decompress: false)
/// plan.downloads.count
/// ```
public struct SyncPlan: Hashable, Sendable {
    /// One file's action.
    public enum Action: Hashable, Sendable {
        /// Present and unchanged.
        case skip
        /// Present with the right size, not in the journal: compare its MD5 with the ETag, download if different.
        case verify(md5: String)
        /// Missing, changed, or not checkable.
        case download
    }

    /// A listed file, where it goes, and what to do.
    public struct Item: Hashable, Sendable {
        public var file: LogFile
        /// The local path relative to the sync directory.
        public var target: String
        public var action: Action
    }

    public private(set) var items: [Item] = []
    /// Listed names that cannot be local paths (`..`, empty segments); never written.
    public private(set) var unsafeNames: [String] = []

    /// Plans a sync of `files`.
    /// - Parameters:
    ///   - localSizes: sizes of the files that exist now, by target path.
    ///   - decompress: targets are `.ndjson` files holding the decompressed bytes.
    public init(files: [LogFile], journal: SyncJournal, localSizes: [String: Int64], decompress: Bool) {
        for file in files.sorted(by: { ($0.day, $0.name) < ($1.day, $1.name) }) {
            guard LogFile.isSafeRelativePath(file.name) else {
                unsafeNames.append(file.key)
                continue
            }
            let target = Self.target(for: file, decompress: decompress)
            items.append(
                Item(
                    file: file, target: target,
                    action: Self.action(
                        file: file, target: target, journal: journal, localSize: localSizes[target],
                        decompress: decompress)))
        }
    }

    /// `{day folder}/{name}`; with `decompress`, a `.gz` name becomes `.ndjson`.
    public static func target(for file: LogFile, decompress: Bool) -> String {
        var name = file.name
        if decompress && name.hasSuffix(".gz") { name = String(name.dropLast(3)) + ".ndjson" }
        return "\(file.day.folderName)/\(name)"
    }

    /// Whether `target` is written by decompressing its object.
    public static func decompresses(_ file: LogFile, decompress: Bool) -> Bool {
        decompress && file.name.hasSuffix(".gz")
    }

    static func action(
        file: LogFile, target: String, journal: SyncJournal, localSize: Int64?, decompress: Bool
    ) -> Action {
        guard let localSize else { return .download }
        if let entry = journal.entries[target] {
            let same = entry.remoteSize == file.size && entry.eTag == file.eTag && entry.localSize == localSize
            return same ? .skip : .download
        }
        if !decompresses(file, decompress: decompress), localSize == file.size, isPlainMD5(file.eTag) {
            return .verify(md5: file.eTag.lowercased())
        }
        return .download
    }

    /// A single-part upload's ETag: 32 hex digits, the MD5 of the content.
    static func isPlainMD5(_ eTag: String) -> Bool {
        eTag.utf8.count == 32
            && eTag.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }
    }

    /// Items that need a download without a check first.
    public var downloads: [Item] { items.filter { $0.action == .download } }
    /// Items already in place.
    public var skipped: [Item] { items.filter { $0.action == .skip } }
    /// Bytes of every listed object.
    public var totalBytes: Int64 { items.reduce(0) { $0 + $1.file.size } }
}
