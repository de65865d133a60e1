import ArchiveFormat
import CivilDate

/// A calendar date in UTC (proleptic Gregorian), converted to and from `ReceivedDay` without Foundation.
///
/// ```swift
/// let day = try UTCDate.parse("2026-11-24").receivedDay   // folder 1795478400000
/// UTCDate(day).words                                        // "Tuesday 24 November 2026"
/// ```
public struct UTCDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    /// Day 0 of the Unix epoch (1970-01-01) was a Thursday.
    static let weekdayNames = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"]

    /// The date of a received-day folder.
    public init(_ receivedDay: ReceivedDay) {
        let days = receivedDay.epochMilliseconds / ReceivedDay.millisecondsPerDay
        (year, month, day) = Self.civil(fromDays: Int(days))
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (a real date, UTC).
    public static func parse(_ text: String) throws(LogsError) -> UTCDate {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.map(\.count) == [4, 2, 2],
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1970...9999).contains(year), (1...12).contains(month),
            (1...daysInMonth(year: year, month: month)).contains(day)
        else {
            throw LogsError(.invalidDate, "\"\(text)\" is not a date; write it as YYYY-MM-DD (UTC), e.g. 2026-11-24")
        }
        return UTCDate(year: year, month: month, day: day)
    }

    /// The received-day folder of this date.
    public var receivedDay: ReceivedDay {
        ReceivedDay(containing: Int64(Self.days(year: year, month: month, day: day)) * ReceivedDay.millisecondsPerDay)
    }

    /// `2026-11-24`.
    public var description: String {
        let pad = { (value: Int, width: Int) in
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `Tuesday 24 November 2026`.
    public var words: String {
        let index = ((Self.days(year: year, month: month, day: day) % 7) + 7) % 7
        return "\(Self.weekdayNames[index]) \(day) \(Self.monthNames[month - 1]) \(year)"
    }

    public static func < (lhs: UTCDate, rhs: UTCDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (`CivilDate`, in `Int`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        Int(CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// The inverse of `days(year:month:day:)`.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let (year, month, day) = CivilDate.date(fromDays: Int64(days))
        return (Int(year), Int(month), Int(day))
    }
}
