#if canImport(Glibc)
    import Glibc
#endif

/// One file pair of the messageId index, for one time slice: `{start}-{end}-{serial}.ids`, the ids appended as
/// `[u16 length][bytes]`, and `.tab`, an open-addressing table of 16-byte slots `[u64 hash][u64 1 + offset of the
/// id in .ids]` (0: empty), linear probing, filled to half its slots at most; then the slice continues in a new
/// pair of twice the size. A blocked Bloom filter over the hashes stays in memory: sized for the ids expected while
/// the slice is current, then rebuilt for exactly the ids it holds once the slice is over (`compactFilter`). Used
/// under the index's lock, except `compactFilter`'s read of a table that no longer takes inserts.
final class IndexFile: @unchecked Sendable {
    static let slotBytes = 16
    /// Slots read per probe: one 128-byte read covers most probe sequences at half load.
    static let slotsPerRead = 8

    let slice: Range<Int64>
    let serial: Int
    /// Slots in the table, a power of two.
    let capacity: Int
    private(set) var count: Int
    private var logBytes: Int
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
        return IndexFile(
            slice: slice, serial: serial, capacity: capacity, count: 0, logBytes: 0,
            filter: BlockedBloomFilter(capacity: min(expected, limit(capacity)), bitsPerEntry: bitsPerEntry),
            fds: (tableFD, logFD), paths: (tablePath, logPath))
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
        try file.scanTable { _ in held += 1 }
        file.count = held
        var filter = BlockedBloomFilter(capacity: current ? limit(file.capacity) : held, bitsPerEntry: bitsPerEntry)
        try file.scanTable { filter.insert($0) }
        file.filter = filter
        file.compacted = !current
        return file
    }

    /// Calls `body` with the hash of every used slot, reading the table in 1 MiB chunks.
    private func scanTable(_ body: (UInt64) -> Void) throws(DedupeError) {
        let chunkSlots = 65_536
        var slot = 0
        while slot < capacity {
            let n = min(chunkSlots, capacity - slot)
            let bytes = try IndexIO.read(tableFD, count: n * Self.slotBytes, at: slot * Self.slotBytes, tablePath)
            var at = 0
            while at + Self.slotBytes <= bytes.count {
                if bytes.loadLittleEndian(at: at + 8) != 0 { body(bytes.loadLittleEndian(at: at)) }
                at += Self.slotBytes
            }
            slot += n
        }
    }

    /// A filter for exactly the `count` ids held, built from the table; call without the index's lock, for a file
    /// whose slice is over, then `adopt` it under the lock.
    func compactFilter(count: Int, bitsPerEntry: Int) throws(DedupeError) -> BlockedBloomFilter {
        var filter = BlockedBloomFilter(capacity: count, bitsPerEntry: bitsPerEntry)
        try scanTable { filter.insert($0) }
        return filter
    }

    /// Takes a filter from `compactFilter` unless ids were inserted meanwhile (a clock set back: keep the old one).
    func adopt(_ compact: BlockedBloomFilter, builtAtCount: Int) {
        compacted = true
        guard count == builtAtCount else { return }
        filter = compact
    }

    /// Whether the table takes no more entries.
    var isFull: Bool { count >= Self.limit(capacity) }

    /// Bytes of memory held (the filter).
    var memoryBytes: Int { filter.bytes }

    /// Whether `id` is in this pair: the filter first, then the table's probe sequence, where a slot with the same
    /// hash counts only when the id bytes stored in `.ids` are equal to `id`.
    func contains(_ id: [UInt8], hash: UInt64) throws(DedupeError) -> Bool {
        guard filter.mayContain(hash) else { return false }
        return try probe(id, hash: hash).found
    }

    /// Adds `entries` (distinct ids known not to be in this pair, at most its remaining room): appends every id with
    /// one write, then writes each one's slot.
    func insert(_ entries: [(id: [UInt8], hash: UInt64)]) throws(DedupeError) {
        guard !entries.isEmpty else { return }
        var log: [UInt8] = []
        log.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.id.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(entries.count)
        for (id, _) in entries {
            offsets.append(logBytes + log.count)
            log.append(UInt8(truncatingIfNeeded: id.count))
            log.append(UInt8(truncatingIfNeeded: id.count >> 8))
            log.append(contentsOf: id)
        }
        try IndexIO.write(logFD, log, at: logBytes, logPath)
        logBytes += log.count
        dirty = true
        var slotBytes: [UInt8] = []
        slotBytes.reserveCapacity(Self.slotBytes)
        for ((id, hash), offset) in zip(entries, offsets) {
            let (found, slot) = try probe(id, hash: hash)
            guard !found else { continue }
            slotBytes.removeAll(keepingCapacity: true)
            slotBytes.appendLittleEndian(hash)
            slotBytes.appendLittleEndian(UInt64(offset) + 1)
            try IndexIO.write(tableFD, slotBytes, at: slot * Self.slotBytes, tablePath)
            count += 1
            filter.insert(hash)
        }
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
        guard offset >= 0, offset + 2 + id.count <= logBytes else { return false }
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
