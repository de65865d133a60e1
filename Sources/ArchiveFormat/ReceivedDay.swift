/// The UTC day an event was received, as Segment names its S3 folders: the day's midnight in Unix milliseconds.
///
/// ```swift
/// let day = ReceivedDay(containing: 1_552_044_558_392)
/// day.folderName  // "1552003200000" (2019-03-08T00:00:00Z)
/// ```
public struct ReceivedDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds in a UTC day (S3 folder names are always a multiple of it).
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// The day's UTC midnight in milliseconds since the Unix epoch; a multiple of 86,400,000.
    public let epochMilliseconds: Int64

    /// The day that contains the instant `epochMilliseconds` (floored, so instants before 1970 work too; the few
    /// instants before the earliest representable midnight map to that midnight).
    public init(containing epochMilliseconds: Int64) {
        var days = epochMilliseconds / Self.millisecondsPerDay
        if epochMilliseconds % Self.millisecondsPerDay < 0 { days -= 1 }
        let (midnight, overflow) = days.multipliedReportingOverflow(by: Self.millisecondsPerDay)
        self.epochMilliseconds = overflow ? (days + 1) * Self.millisecondsPerDay : midnight
    }

    /// Parses a folder name: decimal digits of a UTC midnight in milliseconds (e.g. `1552003200000`).
    public init?(folderName: some StringProtocol) {
        guard !folderName.isEmpty, folderName.utf8.count <= 18,
            folderName.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            folderName.utf8.count == 1 || folderName.utf8.first != UInt8(ascii: "0"),
            let value = Int64(folderName), value % Self.millisecondsPerDay == 0
        else { return nil }
        epochMilliseconds = value
    }

    /// The S3 folder name: the decimal milliseconds (13 digits for days from 2001-09-09 to 2286-11-20).
    public var folderName: String { String(epochMilliseconds) }

    /// The following day.
    public var next: ReceivedDay { ReceivedDay(containing: epochMilliseconds + Self.millisecondsPerDay) }

    /// The day before.
    public var previous: ReceivedDay { ReceivedDay(containing: epochMilliseconds - Self.millisecondsPerDay) }

    /// The first millisecond of the following day (when a batch for this day must close).
    public var endMilliseconds: Int64 { epochMilliseconds + Self.millisecondsPerDay }

    public static func < (lhs: ReceivedDay, rhs: ReceivedDay) -> Bool { lhs.epochMilliseconds < rhs.epochMilliseconds }

    public var description: String { folderName }
}
