import Foundation
import SegmentFuzz
import Testing

/// Runs the fuzzer's invariants (bench/fuzz) over every file of the committed seed corpus, so `swift test`
/// exercises the corpus without libFuzzer.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("bench/fuzz/corpus")

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func theCorpusCoversEveryRequiredKind() throws {
        let names = try Self.files().map(\.lastPathComponent)
        for kind in [
            "malformed", "deep", "invalid-utf8", "lone-surrogates", "huge-numbers", "repeated", "gzip-bomb",
            "gzip-truncated",
        ] {
            #expect(names.contains { $0.contains(kind) }, "no corpus file for \(kind)")
        }
    }

    @Test(arguments: try files())
    func everyCorpusFileKeepsTheInvariants(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        #expect(SegmentInvariants.violations(bytes) == [])
    }

    @Test func theOracleRejectsWhatAStrictReaderRejects() {
        let bad = [
            #"{"a":1,"\u0061":2}"#, "{\"a\":\"\u{1}\"}", #"{"a":"\ud800"}"#, #"{"a":01}"#, #"{"a":1,}"#, "[1] 2",
        ]
        for text in bad { #expect(throws: StrictJSON.Violation.self) { try StrictJSON.validate(Array(text.utf8)) } }
        #expect(throws: StrictJSON.Violation.self) { try StrictJSON.validate([0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: StrictJSON.Violation.self) { try StrictJSON.validate([0x22, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: Never.self) { try StrictJSON.validate(Array(#"{"a":[1.5e-3,"\ud83d\ude00",null]}"#.utf8)) }
    }
}
