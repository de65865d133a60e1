#if canImport(Glibc)
    import Glibc
#endif

/// One file pair of the messageId index, for one time slice: `{start}-{end}-{serial}.ids`, the ids appended as
/// `[u16 length][bytes]`, and `.tab`, an open-addressing table of 16-byte slots `[u64 hash][u64 1 + offset of the
/// id in .ids]` (0: empty), linear probing, filled to half its slots at most; then the slice continues in a new
/// pair of twice the size. A blocked Bloom filter over the hashes stays in memory: sized for the ids expected while
/// the slice is current, then rebuilt for exactly the ids it holds once the slice is over (`compactFilter`).
///
/// Inserts touch only memory: the slot comes from an in-memory bitmap of used slots, and the entry waits in
/// `UnwrittenEntries` (which lookups consult) until a writer takes them all (`takeUnwritten`), writes the log bytes
/// in one write and the slots (`writeUnwritten`, without the lock), and reports back (`finishWriting`). Used under
/// the index's lock, except `writeUnwritten` and `compactFilter`'s read of a table that no longer takes inserts.
final class IndexFile: @unchecked Sendable {
    static let slotBytes = 16
    /// Slots read per probe: one 128-byte read covers most probe sequences at half load.
    static let slotsPerRead = 8

    let slice: Range<Int64>
    let serial: Int
    /// Slots in the table, a power of two.
    let capacity: Int
    private(set) var count: Int
    /// The log's size once every inserted id is written; `writtenLogBytes` of it are in the file.
    private var logBytes: Int
    private var writtenLogBytes: Int
    /// Used slots (written or not), for the file that takes inserts; built from the table when first needed.
    private var occupied: SlotBitmap?
    /// Inserted, not yet handed to a writer.
    private var unwritten = UnwrittenEntries()
    /// Handed to a writer, not yet reported written.
    private var writing = UnwrittenEntries()
    private var filter: BlockedBloomFilter
    private let tableFD: Int32
    private let logFD: Int32
    let tablePath: String
    let logPath: String
    /// Written since the last sync.
    var dirty = false
    /// Whether the filter was sized for exactly the ids held (after its slice ended).
    var compacted = false

    private init(
        slice: Range<Int64>, serial: Int, capacity: Int, count: Int, logBytes: Int, filter: BlockedBloomFilter,
        fds: (table: Int32, log: Int32), paths: (table: String, log: String)
    ) {
        (self.slice, self.serial, self.capacity, self.count, self.logBytes) = (slice, serial, capacity, count, logBytes)
        writtenLogBytes = logBytes
        self.filter = filter
        (tableFD, logFD, tablePath, logPath) = (fds.table, fds.log, paths.table, paths.log)
    }

    deinit {
        close(tableFD)
        close(logFD)
    }

    /// The file names' common stem.
    static func stem(_ slice: Range<Int64>, _ serial: Int) -> String {
        "\(slice.lowerBound)-\(slice.upperBound)-\(serial)"
    }

    /// Parses a `.tab` file name into its slice and serial; nil for any other name.
    static func parse(tableName name: String) -> (slice: Range<Int64>, serial: Int)? {
        guard name.hasSuffix(".tab") else { return nil }
        let parts = name.dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let start = Int64(parts[0]), let end = Int64(parts[1]), let serial = Int(parts[2]), start < end
        else { return nil }
        return (start..<end, serial)
    }

    /// How many entries a table of `capacity` slots takes before the slice moves on to a larger one.
    static func limit(_ capacity: Int) -> Int { capacity / 2 }

    /// Creates an empty pair; the table file is sparse until slots are written.
    static func create(
        directory: String, slice: Range<Int64>, serial: Int, capacity: Int, expected: Int, bitsPerEntry: Int
    ) throws(DedupeError) -> IndexFile {
        let stem = directory + "/" + stem(slice, serial)
        let (tablePath, logPath) = (stem + ".tab", stem + ".ids")
        let logFD = try IndexIO.open(logPath, create: true)
        let tableFD: Int32
        do throws(DedupeError) {
            tableFD = try IndexIO.open(tablePath, create: true)
            try IndexIO.truncate(tableFD, to: capacity * slotBytes, tablePath)
        } catch {
            close(logFD)
            throw error
        }
        let file = IndexFile(
            slice: slice, serial: serial, capacity: capacity, count: 0, logBytes: 0,
            filter: BlockedBloomFilter(capacity: min(expected, limit(capacity)), bitsPerEntry: bitsPerEntry),
            fds: (tableFD, logFD), paths: (tablePath, logPath))
        file.occupied = SlotBitmap(capacity: capacity)
        return file
    }

    /// Opens an existing pair and rebuilds its filter from the table's hashes (two sequential reads: count, fill),
    /// sized for the table's limit when the slice is `current`, else for the ids it holds.
    static func load(
        directory: String, slice: Range<Int64>, serial: Int, bitsPerEntry: Int, current: Bool
    ) throws(DedupeError) -> IndexFile {
        let stem = directory + "/" + stem(slice, serial)
        let (tablePath, logPath) = (stem + ".tab", stem + ".ids")
        let tableFD = try IndexIO.open(tablePath, create: false)
        let logFD: Int32
        do throws(DedupeError) {
            logFD = try IndexIO.open(logPath, create: false)
        } catch {
            close(tableFD)
            throw error
        }
        let file: IndexFile
        do throws(DedupeError) {
            let size = try IndexIO.size(tableFD, tablePath)
            let capacity = size / slotBytes
            guard size % slotBytes == 0, capacity > 0, capacity & (capacity - 1) == 0 else {
                throw DedupeError(.invalidFile, "\(tablePath) is \(size) bytes, not a table Sluice writes")
            }
            file = IndexFile(
                slice: slice, serial: serial, capacity: capacity, count: 0, logBytes: try IndexIO.size(logFD, logPath),
                filter: BlockedBloomFilter(capacity: limit(capacity), bitsPerEntry: bitsPerEntry),
                fds: (tableFD, logFD), paths: (tablePath, logPath))
        } catch {
            close(tableFD)
            close(logFD)
            throw error
        }
        var held = 0
        try file.scanTable { _, _ in held += 1 }
        file.count = held
        var filter = BlockedBloomFilter(capacity: current ? limit(file.capacity) : held, bitsPerEntry: bitsPerEntry)
        var occupied = current ? SlotBitmap(capacity: file.capacity) : nil
        try file.scanTable { slot, hash in
            filter.insert(hash)
            occupied?.mark(slot)
        }
        file.filter = filter
        file.occupied = occupied
        file.compacted = !current
        return file
    }

    /// Calls `body` with the slot and hash of every used slot, reading the table in 1 MiB chunks.
    private func scanTable(_ body: (Int, UInt64) -> Void) throws(DedupeError) {
        let chunkSlots = 65_536
        var slot = 0
        while slot < capacity {
            let n = min(chunkSlots, capacity - slot)
            let bytes = try IndexIO.read(tableFD, count: n * Self.slotBytes, at: slot * Self.slotBytes, tablePath)
            var at = 0
            while at + Self.slotBytes <= bytes.count {
                if bytes.loadLittleEndian(at: at + 8) != 0 {
                    body(slot + at / Self.slotBytes, bytes.loadLittleEndian(at: at))
                }
                at += Self.slotBytes
            }
            slot += n
        }
    }

    /// A filter for exactly the `count` ids held, built from the table; call without the index's lock, for a file
    /// whose slice is over, then `adopt` it under the lock.
    func compactFilter(count: Int, bitsPerEntry: Int) throws(DedupeError) -> BlockedBloomFilter {
        var filter = BlockedBloomFilter(capacity: count, bitsPerEntry: bitsPerEntry)
        try scanTable { filter.insert($1) }
        return filter
    }

    /// Takes a filter from `compactFilter` unless ids were inserted meanwhile (a clock set back: keep the old one).
    func adopt(_ compact: BlockedBloomFilter, builtAtCount: Int) {
        compacted = true
        guard count == builtAtCount else { return }
        filter = compact
        // Its slice is over: no more inserts (a clock set back rebuilds the bitmap from the table).
        if unwritten.isEmpty && writing.isEmpty { occupied = nil }
    }

    /// Whether the table takes no more entries.
    var isFull: Bool { count >= Self.limit(capacity) }

    /// Bytes of memory held: the filter, the slot bitmap and the entries not yet written.
    var memoryBytes: Int {
        filter.bytes + (occupied?.memoryBytes ?? 0) + unwritten.memoryBytes + writing.memoryBytes
    }

    /// Entries inserted and not yet written.
    var unwrittenCount: Int { unwritten.count + writing.count }

    /// Whether `id` is in this pair: the filter first, then the entries not yet written, then the table's probe
    /// sequence, where a slot with the same hash counts only when the id bytes stored in `.ids` are equal to `id`.
    func contains(_ id: [UInt8], hash: UInt64) throws(DedupeError) -> Bool {
        guard filter.mayContain(hash) else { return false }
        if unwritten.contains(id, hash: hash) || writing.contains(id, hash: hash) { return true }
        return try probe(id, hash: hash).found
    }

    /// Adds `entries` (distinct ids known not to be in this pair, at most its remaining room) in memory: each gets
    /// its log offset and a free slot from the bitmap; they reach the files through `takeUnwritten`.
    func insert(_ entries: [(id: [UInt8], hash: UInt64)]) throws(DedupeError) {
        guard !entries.isEmpty else { return }
        if occupied == nil {
            var bitmap = SlotBitmap(capacity: capacity)
            try scanTable { slot, _ in bitmap.mark(slot) }
            for entry in writing.entries + unwritten.entries { bitmap.mark(entry.slot) }
            occupied = bitmap
        }
        for (id, hash) in entries {
            guard let slot = occupied?.take(from: Int(truncatingIfNeeded: hash)) else {
                throw DedupeError(.invalidFile, "\(tablePath) has no free slot; delete the index directory to rebuild it")
            }
            unwritten.append(slot: slot, hash: hash, offset: logBytes, id: id)
            logBytes += 2 + id.count
            count += 1
            filter.insert(hash)
        }
    }

    /// The entries not yet written, handed to one writer (nil when there are none or a writer has some): call
    /// `writeUnwritten` with them outside the lock, then `finishWriting`.
    func takeUnwritten() -> UnwrittenEntries? {
        guard writing.isEmpty, !unwritten.isEmpty else { return nil }
        writing = unwritten
        unwritten = UnwrittenEntries()
        return writing
    }

    /// Writes `entries` (from `takeUnwritten`): their ids to the log in one write, then their slots, so a slot never
    /// points at log bytes not yet written. Touches only the descriptors: safe without the index's lock.
    func writeUnwritten(_ entries: UnwrittenEntries) throws(DedupeError) {
        let log = entries.logBytes()
        try IndexIO.write(logFD, log.bytes, at: log.offset, logPath)
        for write in entries.slotWrites(slotBytes: Self.slotBytes) {
            try IndexIO.write(tableFD, write.bytes, at: write.slot * Self.slotBytes, tablePath)
        }
    }

    /// Records the outcome of `writeUnwritten`: written entries leave memory (the file is then dirty until synced);
    /// after a failure they go back in front of the newer ones, for the next writer.
    func finishWriting(written: Bool) {
        if written {
            if let last = writing.entries.last { writtenLogBytes = max(writtenLogBytes, last.offset + 2 + last.id.count) }
            dirty = true
        } else {
            var again = writing
            again.append(contentsOf: unwritten)
            unwritten = again
        }
        writing = UnwrittenEntries()
    }

    /// Walks the probe sequence of `hash`: whether `id` is there, else the first empty slot.
    private func probe(_ id: [UInt8], hash: UInt64) throws(DedupeError) -> (found: Bool, slot: Int) {
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        var visited = 0
        while visited < capacity {
            let n = min(Self.slotsPerRead, capacity - slot)
            let bytes = try IndexIO.read(tableFD, count: n * Self.slotBytes, at: slot * Self.slotBytes, tablePath)
            for i in 0..<n {
                let at = i * Self.slotBytes
                // A short read (a table cut by a crash) reads as empty slots.
                guard at + Self.slotBytes <= bytes.count else { return (false, slot + i) }
                let offset = bytes.loadLittleEndian(at: at + 8)
                if offset == 0 { return (false, slot + i) }
                if bytes.loadLittleEndian(at: at) == hash, try storedID(at: Int(offset - 1), equals: id) {
                    return (true, slot + i)
                }
            }
            visited += n
            slot = (slot + n) & mask
        }
        throw DedupeError(.invalidFile, "\(tablePath) has no free slot; delete the index directory to rebuild it")
    }

    /// Compares the id stored at `offset` of `.ids` with `id`, byte for byte. A slot whose id did not reach the
    /// disk (power loss) reads as different: at worst a duplicate is accepted, never a new event dropped.
    private func storedID(at offset: Int, equals id: [UInt8]) throws(DedupeError) -> Bool {
        guard offset >= 0, offset + 2 + id.count <= writtenLogBytes else { return false }
        let stored = try IndexIO.read(logFD, count: 2 + id.count, at: offset, logPath)
        guard stored.count == 2 + id.count, Int(stored[0]) | Int(stored[1]) << 8 == id.count else { return false }
        return stored.dropFirst(2).elementsEqual(id)
    }

    /// Makes both files durable (fdatasync of each).
    func sync() throws(DedupeError) {
        try IndexIO.sync(logFD, logPath)
        try IndexIO.sync(tableFD, tablePath)
    }

    /// Deletes both files (descriptors close when the last reference goes).
    func remove() {
        unlink(tablePath)
        unlink(logPath)
    }
}
