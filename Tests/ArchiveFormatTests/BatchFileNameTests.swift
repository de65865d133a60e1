import Testing

@testable import ArchiveFormat

@Suite struct BatchFileNameTests {
    @Test(arguments: [
        "1552044558392.f2a929f376a0.dev.2a6040fa-a95d-4129-ba99-b311eca23c0e.gz",
        "1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
    ])
    func parsesSegmentsRealNames(name: String) throws {
        let parsed = try #require(BatchFileName.parse(name))
        #expect(parsed.description == name)
    }

    @Test func partsOfARealName() throws {
        let name = try #require(
            BatchFileName.parse("1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz"))
        #expect(name.createdAtMilliseconds == 1_594_908_425_388)
        #expect(name.nodeID == "22d6e72e2a97")
        #expect(name.buildID == "baa71ec")
        #expect(name.uuid == "ed1e5c78-7dde-4722-9c77-f0fd0cb79edb")
    }

    @Test(arguments: [
        "1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb",
        "1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz.gz",
        "1594908425388.22D6E72E2A97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "1594908425388.22d6e72e2a9.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "1594908425388.22d6e72e2a97.baa71e.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "1594908425388.22d6e72e2a97.prod.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "1594908425388.22d6e72e2a97.baa71ec.ed1e5c787dde47229c77f0fd0cb79edb.gz",
        "-1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "x594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz",
        "..baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz", "", ".gz",
    ])
    func rejectsOtherNames(name: String) {
        #expect(BatchFileName.parse(name) == nil)
    }

    @Test func creationNormalizesAndValidates() throws {
        let name = try BatchFileName(
            createdAtMilliseconds: 1_700_000_000_000, nodeID: "ABCDEF012345", buildID: "DEV",
            uuid: "ED1E5C78-7DDE-4722-9C77-F0FD0CB79EDB")
        #expect(name.description == "1700000000000.abcdef012345.dev.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz")
        #expect(BatchFileName.parse(name.description) == name)
    }

    @Test(arguments: [
        (Int64(1), "abcdef01234", "baa71ec"), (1, "abcdef01234g", "baa71ec"), (1, "abcdef012345", "baa71e"),
        (1, "abcdef012345", "main"), (-1, "abcdef012345", "baa71ec"),
    ])
    func creationRejectsBadParts(milliseconds: Int64, nodeID: String, buildID: String) {
        let error = #expect(throws: ArchiveFormatError.self) {
            try BatchFileName(
                createdAtMilliseconds: milliseconds, nodeID: nodeID, buildID: buildID,
                uuid: "ed1e5c78-7dde-4722-9c77-f0fd0cb79edb")
        }
        #expect(error?.code == .invalidFileName)
    }

    @Test func uuidV4Formatting() throws {
        let uuid = BatchFileName.uuidV4(random: (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210))
        #expect(uuid == "01234567-89ab-4def-bedc-ba9876543210")
        #expect(BatchFileName.isUUID(BatchFileName.uuidV4(random: (0, 0))))
    }
}
