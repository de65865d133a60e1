/// Parses the RFC 1952 member header so truncation and corruption can be told apart before inflating.
enum GzipHeader {
    private static let headerCRCFlag: UInt8 = 0x02
    private static let extraFlag: UInt8 = 0x04
    private static let nameFlag: UInt8 = 0x08
    private static let commentFlag: UInt8 = 0x10
    private static let reservedFlags: UInt8 = 0xE0

    /// Returns the offset of the DEFLATE data of the member that starts at `start`.
    static func parse(_ input: UnsafeRawBufferPointer, at start: Int) throws(DeflateError) -> Int {
        let magic: [UInt8] = [0x1F, 0x8B, 0x08]
        for (index, expected) in magic.enumerated() {
            guard start + index < input.count else { throw truncated(start) }
            guard input[start + index] == expected else {
                let what = index == 2 ? "uses an unknown compression method" : "does not start with the gzip magic"
                throw DeflateError(.corrupt, "the data at byte \(start) \(what); send gzip (RFC 1952) data")
            }
        }
        guard start + 10 <= input.count else { throw truncated(start) }
        let flags = input[start + 3]
        guard flags & reservedFlags == 0 else {
            throw DeflateError(.corrupt, "the gzip member at byte \(start) sets reserved header flags")
        }
        var cursor = start + 10
        if flags & extraFlag != 0 {
            guard cursor + 2 <= input.count else { throw truncated(start) }
            cursor += 2 + (Int(input[cursor]) | Int(input[cursor + 1]) << 8)
        }
        for flag in [nameFlag, commentFlag] where flags & flag != 0 {
            while cursor < input.count, input[cursor] != 0 { cursor += 1 }
            cursor += 1
        }
        if flags & headerCRCFlag != 0 {
            guard cursor + 2 <= input.count else { throw truncated(start) }
            let stored = UInt16(input[cursor]) | UInt16(input[cursor + 1]) << 8
            let actual = UInt16(
                truncatingIfNeeded: CRC32.checksum(UnsafeRawBufferPointer(rebasing: input[start..<cursor])))
            guard stored == actual else {
                throw DeflateError(.corrupt, "the gzip member at byte \(start) fails its header CRC check")
            }
            cursor += 2
        }
        guard cursor <= input.count else { throw truncated(start) }
        return cursor
    }

    private static func truncated(_ start: Int) -> DeflateError {
        DeflateError(.truncated, "the gzip data ends inside the header of the member at byte \(start)")
    }
}
