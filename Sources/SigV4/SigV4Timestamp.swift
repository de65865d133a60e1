import CivilDate

/// A UTC instant at one-second resolution, formatted the way SigV4 needs it (`20150830T123600Z`, `20150830`).
///
/// Pure arithmetic on seconds since 1970, so signing never reads the clock or depends on a locale.
public struct SigV4Timestamp: Sendable, Hashable {
    public let secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// The `x-amz-date` form: `yyyyMMdd'T'HHmmss'Z'`.
    public var amzDate: String {
        let (year, month, day, seconds) = civil
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(seconds / 3600, 2) + pad(seconds / 60 % 60, 2)
            + pad(seconds % 60, 2) + "Z"
    }

    /// The credential-scope form: `yyyyMMdd`.
    public var dateStamp: String {
        let (year, month, day, _) = civil
        return pad(year, 4) + pad(month, 2) + pad(day, 2)
    }

    /// Parses `yyyyMMddTHHmmssZ` or ISO 8601 `yyyy-MM-ddTHH:mm:ssZ` (fractional seconds are dropped).
    public init?(parsing text: String) {
        let digits = text.filter(\.isNumber).map { Int64($0.wholeNumberValue ?? 0) }
        guard digits.count >= 14, text.hasSuffix("Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64 { digits[range].reduce(0) { $0 * 10 + $1 } }
        let days = CivilDate.days(year: number(0..<4), month: number(4..<6), day: number(6..<8))
        secondsSince1970 = days * 86_400 + number(8..<10) * 3600 + number(10..<12) * 60 + number(12..<14)
    }

    private var civil: (year: Int64, month: Int64, day: Int64, secondOfDay: Int64) {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = CivilDate.date(fromDays: days)
        return (year, month, day, secondOfDay)
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
