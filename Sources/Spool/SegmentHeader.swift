/// The 20-byte header at the start of every segment file: magic `SLSP`, format version, the first sequence number
/// the segment may hold, and a CRC-32 of those 16 bytes. Segment files are named after that first sequence
/// (`00000000000000000001.spool`), so listing the directory orders them.
struct SegmentHeader: Hashable, Sendable {
    static let size = 20
    static let magic: [UInt8] = Array("SLSP".utf8)
    static let version: UInt32 = 1
    static let fileExtension = ".spool"

    var firstSequence: UInt64

    func encoded() -> [UInt8] {
        var bytes = Self.magic
        RecordFraming.appendLittleEndian(Self.version, to: &bytes)
        RecordFraming.appendLittleEndian(firstSequence, to: &bytes)
        let crc = bytes.withUnsafeBytes { RecordFraming.checksum($0) }
        RecordFraming.appendLittleEndian(crc, to: &bytes)
        return bytes
    }

    /// Nil unless `bytes` starts with a complete, valid header.
    static func decode(_ bytes: [UInt8]) -> SegmentHeader? {
        guard bytes.count >= size, Array(bytes[0..<4]) == magic else { return nil }
        return bytes.withUnsafeBytes { raw -> SegmentHeader? in
            let version = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            let first = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
            let crc = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian
            guard version == Self.version, RecordFraming.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<16])) == crc
            else { return nil }
            return SegmentHeader(firstSequence: first)
        }
    }

    static func fileName(firstSequence: UInt64) -> String {
        let digits = String(firstSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + fileExtension
    }

    /// The first sequence encoded in a segment file name, or nil for any other file.
    static func firstSequence(fileName: String) -> UInt64? {
        guard fileName.hasSuffix(fileExtension) else { return nil }
        let stem = fileName.dropLast(fileExtension.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(stem)
    }
}
