import Testing

@testable import Deflate

@Suite struct CRC32Tests {
    @Test(arguments: [
        ("", UInt32(0)),
        ("123456789", 0xCBF4_3926),
        ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
    ])
    func knownAnswers(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test func seedContinuesAChecksum() {
        let first = CRC32.checksum(Array("12345".utf8))
        #expect(CRC32.checksum(Array("6789".utf8), seed: first) == 0xCBF4_3926)
    }

    @Test func rawBufferAndCollectionAgree() {
        let bytes = Array("payload".utf8)
        let viaBuffer = bytes.withUnsafeBytes { CRC32.checksum($0) }
        #expect(viaBuffer == CRC32.checksum(bytes[...]))
    }
}
