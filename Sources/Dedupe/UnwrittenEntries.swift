/// Index entries inserted in memory but not yet written to their `IndexFile` (the ids' log bytes and the table
/// slots chosen for them). Lookups consult them before the table, so an id is found from the moment it is
/// inserted; `IndexFile.takeUnwritten` hands them to a writer in bulk, off the request path. They need no
/// durability of their own: until the index is synced the spool keeps the records they came from, and start-up
/// recovery re-inserts those ids.
struct UnwrittenEntries: Sendable {
    struct Entry: Sendable {
        let slot: Int
        let hash: UInt64
        /// Offset of the id's `[u16 length][bytes]` in the `.ids` log.
        let offset: Int
        let id: [UInt8]
        /// The previous entry with the same hash (-1: none), so colliding hashes are all compared.
        var previous: Int
    }

    private(set) var entries: [Entry] = []
    private var lastByHash: [UInt64: Int] = [:]

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// Approximate memory held: the entries, their ids and the hash map.
    var memoryBytes: Int { entries.reduce(0) { $0 + 64 + $1.id.count } + lastByHash.count * 24 }

    mutating func append(slot: Int, hash: UInt64, offset: Int, id: [UInt8]) {
        entries.append(Entry(slot: slot, hash: hash, offset: offset, id: id, previous: lastByHash[hash] ?? -1))
        lastByHash[hash] = entries.count - 1
    }

    /// Appends every entry of `other` after these (a failed write's entries go back in front of newer ones).
    mutating func append(contentsOf other: UnwrittenEntries) {
        for entry in other.entries { append(slot: entry.slot, hash: entry.hash, offset: entry.offset, id: entry.id) }
    }

    func contains(_ id: [UInt8], hash: UInt64) -> Bool {
        var at = lastByHash[hash] ?? -1
        while at >= 0 {
            if entries[at].id == id { return true }
            at = entries[at].previous
        }
        return false
    }

    /// The log bytes of the entries, in offset order (they are appended in that order), and where they start.
    func logBytes() -> (offset: Int, bytes: [UInt8]) {
        guard let first = entries.first else { return (0, []) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.id.count })
        for entry in entries {
            bytes.append(UInt8(truncatingIfNeeded: entry.id.count))
            bytes.append(UInt8(truncatingIfNeeded: entry.id.count >> 8))
            bytes.append(contentsOf: entry.id)
        }
        return (first.offset, bytes)
    }

    /// The table writes: runs of adjacent slots merged into one write each, `[u64 hash][u64 1 + offset]` per slot.
    func slotWrites(slotBytes: Int) -> [(slot: Int, bytes: [UInt8])] {
        var writes: [(slot: Int, bytes: [UInt8])] = []
        for entry in entries.sorted(by: { $0.slot < $1.slot }) {
            if let last = writes.last, last.slot + last.bytes.count / slotBytes == entry.slot {
                writes[writes.count - 1].bytes.appendSlot(hash: entry.hash, offset: entry.offset)
            } else {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(slotBytes)
                bytes.appendSlot(hash: entry.hash, offset: entry.offset)
                writes.append((entry.slot, bytes))
            }
        }
        return writes
    }
}

extension [UInt8] {
    fileprivate mutating func appendSlot(hash: UInt64, offset: Int) {
        appendLittleEndian(hash)
        appendLittleEndian(UInt64(offset) + 1)
    }
}

/// A bitmap of a table's used slots, kept in memory for the file that takes inserts, so an insert chooses its
/// slot (linear probing from the hash's home slot) without reading the table. One bit per slot.
struct SlotBitmap: Sendable {
    private var words: [UInt64]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    var memoryBytes: Int { words.count * 8 }

    mutating func mark(_ slot: Int) { words[slot >> 6] |= 1 << UInt64(slot & 63) }

    /// Takes the first free slot at or after `home`, wrapping around; nil when every slot is used.
    mutating func take(from home: Int) -> Int? {
        var slot = home & (capacity - 1)
        for _ in 0..<capacity {
            if words[slot >> 6] & (1 << UInt64(slot & 63)) == 0 {
                mark(slot)
                return slot
            }
            slot = (slot + 1) & (capacity - 1)
        }
        return nil
    }
}
