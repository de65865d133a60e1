import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The disk-backed set of messageIds accepted within the window: per time slice, one or more `IndexFile`s (a slice
/// moves to a table twice as large when one fills), dropped whole once the slice leaves the window. Memory is the
/// files' filters (about `bitsPerEntry` bits per id), the current table's slot bitmap (1 bit per slot) and the
/// entries not yet written; everything else is read with pread. Inserts stay in memory until `takeUnwritten` hands
/// them to a writer. Not thread-safe: the `Deduplicator` serializes every call.
///
/// ```swift
/// let index = try MessageIDIndex.open(directory: dir, window: .standard, now: now)
/// if try !index.contains(id, now: now) { try index.insert([id], receivedAt: now, now: now) }
/// try index.writeUnwritten()                       // the inserts, from memory to the files
/// for file in index.takeDirty() { try file.sync() } // before the spool deletes the records the ids came from
/// ```
final class MessageIDIndex: @unchecked Sendable {
    let directory: String
    let window: DedupeWindow
    let hasher: MessageIDHasher
    let bitsPerEntry: Int
    let minimumCapacity: Int
    /// Live files, oldest slice first; within a slice by serial.
    private(set) var files: [IndexFile] = []

    private init(
        directory: String, window: DedupeWindow, hasher: MessageIDHasher, bitsPerEntry: Int, minimumCapacity: Int
    ) {
        (self.directory, self.window, self.hasher) = (directory, window, hasher)
        (self.bitsPerEntry, self.minimumCapacity) = (bitsPerEntry, minimumCapacity)
    }

    /// Opens (creating) the index in `directory`: deletes the files of slices that left the window and loads the
    /// others. Refuses a file whose name or size Sluice does not write, rather than guess.
    static func open(
        directory: String, window: DedupeWindow, now: Int64, hasher: MessageIDHasher = .standard,
        bitsPerEntry: Int = 8, minimumCapacity: Int = 1 << 16
    ) throws(DedupeError) -> MessageIDIndex {
        do {
            try Files.makeDirectories(directory)
        } catch {
            throw DedupeError(.io, "could not create the messageId index directory \(directory): \(error)")
        }
        let index = MessageIDIndex(
            directory: directory, window: window, hasher: hasher, bitsPerEntry: bitsPerEntry,
            minimumCapacity: max(16, 1 << (Int.bitWidth - (minimumCapacity - 1).leadingZeroBitCount)))
        var found: [(slice: Range<Int64>, serial: Int)] = []
        for name in Files.entries(directory) {
            if name.hasSuffix(".ids") { continue }
            guard let parsed = IndexFile.parse(tableName: name) else {
                throw DedupeError(
                    .invalidFile, "\(directory)/\(name) is not a messageId index file; move it out of \(directory)")
            }
            found.append(parsed)
        }
        found.sort { ($0.slice.lowerBound, $0.serial) < ($1.slice.lowerBound, $1.serial) }
        let newest = found.last?.slice
        for (slice, serial) in found {
            if window.isExpired(sliceEnd: slice.upperBound, now: now) {
                let stem = directory + "/" + IndexFile.stem(slice, serial)
                _ = Files.remove(stem + ".tab")
                _ = Files.remove(stem + ".ids")
                continue
            }
            index.files.append(
                try IndexFile.load(
                    directory: directory, slice: slice, serial: serial, bitsPerEntry: bitsPerEntry,
                    current: slice == newest))
        }
        return index
    }

    /// Ids held in the live files.
    var count: Int { files.reduce(0) { $0 + $1.count } }

    /// Memory held by the filters, bitmaps and entries not yet written, in bytes.
    var memoryBytes: Int { files.reduce(0) { $0 + $1.memoryBytes } }

    /// Entries inserted and not yet written to their files.
    var unwrittenCount: Int { files.reduce(0) { $0 + $1.unwrittenCount } }

    /// Every file's entries not yet written, each handed to the caller, who writes them with
    /// `IndexFile.writeUnwritten` (outside the lock) and reports with `IndexFile.finishWriting`.
    func takeUnwritten() -> [(file: IndexFile, entries: UnwrittenEntries)] {
        files.compactMap { file in file.takeUnwritten().map { (file, $0) } }
    }

    /// Writes every entry not yet written (single-threaded use: tests and tools).
    func writeUnwritten() throws(DedupeError) {
        for (file, entries) in takeUnwritten() {
            do {
                try file.writeUnwritten(entries)
            } catch {
                file.finishWriting(written: false)
                throw error
            }
            file.finishWriting(written: true)
        }
    }

    /// Whether inserting `count` ids for `receivedAt` needs a new file (a create and a directory sync: blocking I/O
    /// the caller may want off the request path); false when the slice already left the window.
    func insertNeedsNewFile(count: Int, receivedAt: Int64, now: Int64) -> Bool {
        let slice = window.slice(containing: receivedAt)
        guard !window.isExpired(sliceEnd: slice.upperBound, now: now) else { return false }
        guard let last = files.last(where: { $0.slice.contains(receivedAt) }) else { return true }
        return IndexFile.limit(last.capacity) - last.count < count
    }

    /// Whether `id` was inserted into a slice still in the window at `now`.
    func contains(_ id: [UInt8], now: Int64) throws(DedupeError) -> Bool {
        try contains(id, hash: hasher.hash(id), now: now)
    }

    /// `contains` with the id's hash already computed.
    func contains(_ id: [UInt8], hash: UInt64, now: Int64) throws(DedupeError) -> Bool {
        for file in files.reversed() where !window.isExpired(sliceEnd: file.slice.upperBound, now: now) {
            if try file.contains(id, hash: hash) { return true }
        }
        return false
    }

    /// Remembers `ids` (distinct) in the slice of `receivedAt` (nothing when that slice already left the window).
    /// Call only after `contains` said no for each.
    func insert(_ ids: [[UInt8]], receivedAt: Int64, now: Int64) throws(DedupeError) {
        let slice = window.slice(containing: receivedAt)
        guard !window.isExpired(sliceEnd: slice.upperBound, now: now) else { return }
        var rest = ids[...]
        while !rest.isEmpty {
            let file = try writableFile(for: receivedAt, slice: slice)
            let room = IndexFile.limit(file.capacity) - file.count
            let part = rest.prefix(room)
            try file.insert(part.map { ($0, hasher.hash($0)) })
            rest = rest.dropFirst(part.count)
        }
    }

    /// The last file of the slice holding `time`, or a new one: twice the size of a full predecessor, else sized
    /// for the previous slice's count so that a steady rate fills one table per slice.
    private func writableFile(for time: Int64, slice: Range<Int64>) throws(DedupeError) -> IndexFile {
        let sameSlice = files.filter { $0.slice.contains(time) }
        if let last = sameSlice.last, !last.isFull { return last }
        let capacity: Int
        let serial: Int
        var expected = Int.max
        if let last = sameSlice.last {
            (capacity, serial) = (last.capacity * 2, last.serial + 1)
        } else {
            let previous = files.filter { $0.slice.upperBound <= slice.lowerBound }.last?.slice
            let previousCount = files.filter { $0.slice == previous }.reduce(0) { $0 + $1.count }
            var wanted = minimumCapacity
            // The filter is sized for the ids expected (the table's limit is a power of two, up to twice that).
            expected = max(IndexFile.limit(minimumCapacity), previousCount + previousCount / 4)
            while IndexFile.limit(wanted) < expected { wanted *= 2 }
            (capacity, serial) = (wanted, 0)
        }
        let file = try IndexFile.create(
            directory: directory, slice: sameSlice.last?.slice ?? slice, serial: serial, capacity: capacity,
            expected: expected, bitsPerEntry: bitsPerEntry)
        try syncDirectory()
        let position = files.firstIndex { ($0.slice.lowerBound, $0.serial) > (file.slice.lowerBound, serial) }
        files.insert(file, at: position ?? files.endIndex)
        return file
    }

    /// Files of slices older than the newest one whose filters are still sized for the ids expected, not held.
    func filesToCompact() -> [(file: IndexFile, count: Int)] {
        guard let newest = files.map(\.slice.lowerBound).max() else { return [] }
        return files.filter { !$0.compacted && $0.slice.upperBound <= newest }.map { ($0, $0.count) }
    }

    /// Drops the files of slices that left the window at `now`.
    func expire(now: Int64) {
        files.removeAll { file in
            guard window.isExpired(sliceEnd: file.slice.upperBound, now: now) else { return false }
            file.remove()
            return true
        }
    }

    /// The files written since the last call, which the caller syncs (outside the lock) with `IndexFile.sync`.
    func takeDirty() -> [IndexFile] {
        let dirty = files.filter(\.dirty)
        for file in dirty { file.dirty = false }
        return dirty
    }

    /// Makes new file names durable.
    private func syncDirectory() throws(DedupeError) {
        do {
            try Files.sync(directory, directory: true)
        } catch {
            throw DedupeError(.io, "could not sync the messageId index directory \(directory): \(error)")
        }
    }
}
