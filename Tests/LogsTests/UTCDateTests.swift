import ArchiveFormat
import Testing

@testable import Logs

@Suite struct UTCDateTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0), "Thursday 1 January 1970"),
        ("2000-02-29", Int64(951_782_400_000), "Tuesday 29 February 2000"),
        ("2019-03-08", Int64(1_552_003_200_000), "Friday 8 March 2019"),
        ("2026-11-24", Int64(1_795_478_400_000), "Tuesday 24 November 2026"),
    ])
    func knownDates(text: String, milliseconds: Int64, words: String) throws {
        let date = try UTCDate.parse(text)
        #expect(date.receivedDay.epochMilliseconds == milliseconds)
        #expect(date.words == words)
        #expect(date.description == text)
        #expect(UTCDate(ReceivedDay(containing: milliseconds + 12_345_678)) == date)
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-1-01", "26-11-24", "2026/11/24", "", "2026-11-24T00", "1969-12-31",
    ])
    func rejectsNonDates(text: String) {
        #expect(throws: LogsError.self) { try UTCDate.parse(text) }
    }

    @Test func roundTripsEveryDayForFourCenturies() {
        var day = 0
        while day < 146_097 {
            let (year, month, dayOfMonth) = UTCDate.civil(fromDays: day)
            #expect(UTCDate.days(year: year, month: month, day: dayOfMonth) == day)
            #expect(dayOfMonth <= UTCDate.daysInMonth(year: year, month: month))
            day += 37
        }
    }

    @Test func selectionFlags() throws {
        let nov24 = try UTCDate.parse("2026-11-24").receivedDay
        #expect(try DaySelection(day: "2026-11-24", from: nil, to: nil, all: false) == .day(nov24))
        #expect(try DaySelection(day: nil, from: nil, to: nil, all: true) == .all)
        let range = try DaySelection(day: nil, from: "2026-11-23", to: "2026-11-24", all: false)
        #expect(
            range.select(from: [nov24.next, nov24, nov24.previous, nov24.previous.previous]) == [nov24.previous, nov24])
        #expect(
            try DaySelection(day: nil, from: "2026-11-24", to: nil, all: false).select(from: [
                nov24.next, nov24.previous,
            ]) == [nov24.next])
        #expect(throws: LogsError.self) { try DaySelection(day: nil, from: nil, to: nil, all: false) }
        #expect(throws: LogsError.self) { try DaySelection(day: "2026-11-24", from: nil, to: nil, all: true) }
        #expect(throws: LogsError.self) { try DaySelection(day: nil, from: "2026-11-25", to: "2026-11-24", all: false) }
    }
}
