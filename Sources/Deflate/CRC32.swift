import CLibdeflate

/// The CRC-32 checksum used by gzip, zlib and PNG (polynomial 0xEDB88320), computed by libdeflate.
///
/// ```swift
/// let crc = CRC32.checksum(Array("123456789".utf8))  // 0xCBF43926
/// let running = CRC32.checksum(part2, seed: CRC32.checksum(part1))
/// ```
public enum CRC32 {
    /// Returns the CRC-32 of `bytes`, continuing from `seed` (the checksum of the bytes before them; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return seed }
        return libdeflate_crc32(seed, base, bytes.count)
    }

    /// Returns the CRC-32 of `bytes`, continuing from `seed` (the checksum of the bytes before them; 0 to start).
    public static func checksum(_ bytes: some Collection<UInt8>, seed: UInt32 = 0) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), seed: seed) }) {
            return crc
        }
        return Array(bytes).withUnsafeBytes { checksum($0, seed: seed) }
    }
}
