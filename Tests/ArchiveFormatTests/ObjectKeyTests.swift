import Testing

@testable import ArchiveFormat

@Suite struct ObjectKeyTests {
    static let fileName = "1552044558392.f2a929f376a0.dev.2a6040fa-a95d-4129-ba99-b311eca23c0e.gz"

    static func key(prefix: String) throws -> ObjectKey {
        try ObjectKey(
            prefix: prefix, sourceID: try SourceID("6Q2N6sz6Aq"), day: ReceivedDay(containing: 1_552_044_558_392),
            fileName: try #require(BatchFileName.parse(fileName)))
    }

    @Test(arguments: [
        ("", "segment-logs/6Q2N6sz6Aq/1552003200000/\(fileName)"),
        ("path/prefix", "path/prefix/segment-logs/6Q2N6sz6Aq/1552003200000/\(fileName)"),
        ("segment-logs/test", "segment-logs/test/segment-logs/6Q2N6sz6Aq/1552003200000/\(fileName)"),
    ])
    func layout(prefix: String, expected: String) throws {
        let key = try Self.key(prefix: prefix)
        #expect(key.description == expected)
        #expect(!key.description.hasPrefix("/") && !key.description.contains("//"))
        #expect(ObjectKey.parse(expected) == key)
    }

    @Test func folderForListing() throws {
        let source = try SourceID("src")
        let day = ReceivedDay(containing: 0)
        #expect(ObjectKey.folder(prefix: "", sourceID: source, day: day) == "segment-logs/src/0/")
        #expect(ObjectKey.folder(prefix: "a/b", sourceID: source, day: day) == "a/b/segment-logs/src/0/")
    }

    @Test(arguments: [
        "segment-logs/6Q2N6sz6Aq/1552003200000", "logs/6Q2N6sz6Aq/1552003200000/\(fileName)",
        "segment-logs/6Q2N6sz6Aq/1552003200001/\(fileName)", "segment-logs/bad.id/1552003200000/\(fileName)",
        "/segment-logs/6Q2N6sz6Aq/1552003200000/\(fileName)", "a//segment-logs/6Q2N6sz6Aq/1552003200000/\(fileName)",
        "segment-logs/6Q2N6sz6Aq/1552003200000/dummy-object.txt",
    ])
    func rejectsOtherKeys(key: String) {
        #expect(ObjectKey.parse(key) == nil)
    }

    @Test(arguments: ["/a", "a/", "a//b", "./a", "a/..", "a\\b", "a\u{1}b"])
    func rejectsBadPrefixes(prefix: String) {
        let error = #expect(throws: ArchiveFormatError.self) { try Self.key(prefix: prefix) }
        #expect(error?.code == .invalidPrefix)
    }
}
