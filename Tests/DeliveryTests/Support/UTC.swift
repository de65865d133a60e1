import Foundation

/// Epoch milliseconds of a UTC wall-clock time, for readable schedule tests.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    let date = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    return Int64((date.timeIntervalSince1970 * 1000).rounded())
}
