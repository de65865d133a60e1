/// An in-memory filter over 64-bit hashes that answers "certainly not seen" or "maybe seen": a blocked Bloom
/// filter (each hash sets 6 bits inside one 512-bit block, so a lookup touches one cache line). It only spares the
/// index a disk read for new ids; the decision itself always compares full messageId bytes on disk.
///
/// ```swift
/// var filter = BlockedBloomFilter(capacity: 1_000_000, bitsPerEntry: 8)
/// filter.insert(hash)
/// filter.mayContain(hash)   // true
/// ```
struct BlockedBloomFilter: Sendable {
    static let wordsPerBlock = 8
    static let probes = 6
    private(set) var words: [UInt64]
    let blockCount: Int

    /// A filter sized for `capacity` entries at `bitsPerEntry` bits each (at 8, about 2-3 % "maybe" for new ids).
    init(capacity: Int, bitsPerEntry: Int) {
        let bits = max(capacity, 1) * max(bitsPerEntry, 1)
        blockCount = max(1, (bits + 511) / 512)
        words = [UInt64](repeating: 0, count: blockCount * Self.wordsPerBlock)
    }

    /// Bytes of memory the filter holds.
    var bytes: Int { words.count * 8 }

    mutating func insert(_ hash: UInt64) {
        let (base, probe) = position(hash)
        var bits = probe
        for _ in 0..<Self.probes {
            let bit = Int(bits & 511)
            words[base + (bit >> 6)] |= 1 << UInt64(bit & 63)
            bits >>= 9
        }
    }

    func mayContain(_ hash: UInt64) -> Bool {
        let (base, probe) = position(hash)
        var bits = probe
        for _ in 0..<Self.probes {
            let bit = Int(bits & 511)
            if words[base + (bit >> 6)] & (1 << UInt64(bit & 63)) == 0 { return false }
            bits >>= 9
        }
        return true
    }

    /// The block (by multiply-shift of the low 32 bits, so any block count works) and 54 bits for the probes, from a
    /// re-mixed hash: the table's slot comes from the raw hash's low bits, which must not pick the block too.
    private func position(_ hash: UInt64) -> (base: Int, probe: UInt64) {
        let mixed = MessageIDHasher.mix(hash ^ 0x5851_f42d_4c95_7f2d)
        let block = Int(((mixed & 0xffff_ffff) &* UInt64(blockCount)) >> 32)
        return (block * Self.wordsPerBlock, mixed >> 10)
    }
}
