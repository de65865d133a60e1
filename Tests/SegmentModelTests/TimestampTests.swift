import Testing

@testable import SegmentModel

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2017-12-15T22:03:39.213Z", Int64(1_513_375_419_213)),
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00.000Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2024-05-03T19:42:50.066179717Z", 1_714_765_370_066),
        ("2026-11-24T18:44:05.711727+00:00", 1_795_545_845_711),
        ("2024-01-02T03:04:05+01:00", 1_704_161_045_000),
        ("2024-01-02T03:04:05+0100", 1_704_161_045_000),
        ("2024-01-02T03:04:05+01", 1_704_161_045_000),
        ("2024-01-02T03:04:05-05:30", 1_704_184_445_000),
        ("2024-01-02T03:04:05.5Z", 1_704_164_645_500),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2000-02-29T12:00:00z", 951_825_600_000),
    ])
    func parses(text: String, expected: Int64) {
        #expect(Timestamp.milliseconds(parsing: text) == expected)
    }

    @Test(arguments: [
        "", "2024-01-02", "2024-01-02T03:04", "2024-01-02T03:04:05", "2024-01-02 03:04:05Z", "2024-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "2024-01-32T00:00:00Z", "2024-01-02T24:00:00Z", "2024-01-02T03:60:00Z",
        "2024-01-02T03:04:60Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05+1", "2024-01-02T03:04:05+01:0",
        "2024-01-02T03:04:05Zjunk", "24-01-02T03:04:05Z", "2024-1-02T03:04:05Z", "1700000000",
    ])
    func rejects(text: String) {
        #expect(Timestamp.milliseconds(parsing: text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (-1, "1969-12-31T23:59:59.999Z"),
        (1_513_375_419_341, "2017-12-15T22:03:39.341Z"), (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"), (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"), (253_402_300_800_000, "10000-01-01T00:00:00.000Z"),
        (-62_198_755_200_001, "-0002-12-31T23:59:59.999Z"),
    ])
    func formats(milliseconds: Int64, expected: String) {
        #expect(Timestamp.string(milliseconds: milliseconds) == expected)
    }

    @Test func formatAndParseRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            #expect(Timestamp.milliseconds(parsing: Timestamp.string(milliseconds: milliseconds)) == milliseconds)
        }
    }

    @Test func ksuidMessageIDs() {
        let id = MessageIDGenerator.ksuid(random: { (0, 0) }).messageID(receivedAtMilliseconds: 1_400_000_000_000)
        #expect(id == "api-" + String(repeating: "0", count: 27))
        let max = KSUID.string(
            receivedAtMilliseconds: Int64(UInt32.max) * 1000 + 1_400_000_000_000,
            random: (.max, .max))
        #expect(max == "aWgEPTl1tmebfsQzFP4bxwgy80V")  // the largest KSUID
        let earlier = MessageIDGenerator.ksuid.messageID(receivedAtMilliseconds: 1_700_000_000_000)
        let later = MessageIDGenerator.ksuid.messageID(receivedAtMilliseconds: 1_700_000_100_000)
        #expect(earlier.count == 31 && later.count == 31)
        #expect(earlier < later)
    }
}
