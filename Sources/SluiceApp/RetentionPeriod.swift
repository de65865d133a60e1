/// A retention given on the command line: `Nd` (days) or `Nh` (hours), N a whole number from 1. Pure.
///
/// ```swift
/// try RetentionPeriod.hours(parsing: "30d")  // 720
/// ```
public enum RetentionPeriod {
    /// The period in hours, or a `ConfigurationError` naming the flag and the accepted forms.
    public static func hours(parsing text: String, flag: String) throws -> Int {
        let unit = text.last
        let digits = text.dropLast()
        guard let unit, unit == "d" || unit == "h", !digits.isEmpty, digits.allSatisfy(\.isASCII),
            let count = Int(digits), count >= 1, count <= 876_000
        else {
            throw ConfigurationError(
                message:
                    "\(flag) '\(text.prefix(40))' is not a retention: use a number of days or hours, e.g. 30d or 12h")
        }
        return unit == "d" ? count * 24 : count
    }
}
