/// What a previous sync wrote: for each local file, the object it came from (size and ETag) and the size it was
/// written with. Kept in `{dir}/.sluice/journal.tsv`, one tab-separated line per completed file, appended after
/// the file is renamed into place; the last line for a path wins. A torn last line (a crash mid-append) is
/// ignored, so the file it named is checked again by content (see `SyncPlan`).
public struct SyncJournal: Hashable, Sendable {
    /// One completed file.
    public struct Entry: Hashable, Sendable {
        /// The local path, relative to the sync directory (`{day folder}/{name}`).
        public var path: String
        public var remoteSize: Int64
        public var eTag: String
        public var localSize: Int64

        /// Creates an entry.
        public init(path: String, remoteSize: Int64, eTag: String, localSize: Int64) {
            self.path = path
            self.remoteSize = remoteSize
            self.eTag = eTag
            self.localSize = localSize
        }

        /// The journal line, ending in a newline.
        public var line: String { "v1\t\(path)\t\(remoteSize)\t\(eTag)\t\(localSize)\n" }
    }

    /// The latest entry per path.
    public private(set) var entries: [String: Entry] = [:]

    /// An empty journal.
    public init() {}

    /// Parses journal text, skipping lines that are malformed or incomplete.
    public init(text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0] == "v1", !fields[1].isEmpty, let remoteSize = Int64(fields[2]),
                let localSize = Int64(fields[4])
            else { continue }
            let entry = Entry(
                path: String(fields[1]), remoteSize: remoteSize, eTag: String(fields[3]), localSize: localSize)
            entries[entry.path] = entry
        }
    }

    /// Records an entry.
    public mutating func record(_ entry: Entry) { entries[entry.path] = entry }

    /// The whole journal as text, one line per path, sorted (used to compact it).
    public var text: String { entries.keys.sorted().compactMap { entries[$0]?.line }.joined() }
}
