import Testing

@testable import ArchiveFormat

@Suite struct ReceivedDayTests {
    @Test(arguments: [
        (Int64(1_552_044_558_392), Int64(1_552_003_200_000)),
        (1_594_908_425_388, 1_594_857_600_000),
        (1_552_003_200_000, 1_552_003_200_000),
        (1_552_003_199_999, 1_551_916_800_000),
        (0, 0),
        (86_399_999, 0),
        (-1, -86_400_000),
        (-86_400_000, -86_400_000),
        (-86_400_001, -172_800_000),
    ])
    func floorsToUTCMidnight(instant: Int64, midnight: Int64) {
        let day = ReceivedDay(containing: instant)
        #expect(day.epochMilliseconds == midnight)
        #expect(day.epochMilliseconds % ReceivedDay.millisecondsPerDay == 0)
    }

    @Test func folderNamesAndNavigation() {
        let day = ReceivedDay(containing: 1_552_044_558_392)
        #expect(day.folderName == "1552003200000")
        #expect(day.folderName.count == 13)
        #expect(day.next.folderName == "1552089600000")
        #expect(day.next.previous == day)
        #expect(day.endMilliseconds == day.next.epochMilliseconds)
        #expect(day < day.next)
    }

    @Test func extremesDoNotTrap() {
        #expect(ReceivedDay(containing: .min).epochMilliseconds <= 0)
        #expect(ReceivedDay(containing: .max).epochMilliseconds % ReceivedDay.millisecondsPerDay == 0)
    }

    @Test(arguments: ["1552003200000", "0", "1432684800000"])
    func parsesFolderNames(name: String) throws {
        #expect(try #require(ReceivedDay(folderName: name)).folderName == name)
    }

    @Test(arguments: ["", "1552003200001", "01552003200000", "-86400000", "abc", "1552003200000 ", "+1552003200000"])
    func rejectsFolderNames(name: String) {
        #expect(ReceivedDay(folderName: name) == nil)
    }
}
