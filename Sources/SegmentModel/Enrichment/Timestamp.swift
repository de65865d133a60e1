import CivilDate

/// ISO-8601 timestamps as Segment writes and accepts them, to and from milliseconds since the Unix epoch (UTC).
///
/// Parsing accepts `YYYY-MM-DDTHH:MM:SS`, any number of fractional digits (truncated to milliseconds), and a
/// zone of `Z`, `+HH:MM`, `+HHMM` or `+HH` (or `-`). Date-only and zone-less strings are not timestamps.
public enum Timestamp {
    /// The instants RFC 3339 can write: 0001-01-01T00:00:00.000Z through 9999-12-31T23:59:59.999Z.
    public static let rfc3339Range: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// Formats `milliseconds` as `YYYY-MM-DDTHH:MM:SS.mmmZ`, appending it (without quotes) to `output`.
    public static func append(milliseconds: Int64, to output: inout [UInt8]) {
        let (days, dayMilliseconds) = floorDivide(milliseconds, 86_400_000)
        let (year, month, day) = CivilDate.date(fromDays: days)
        // Years outside 0...9999 (a sign, more digits) are appended first; the rest always has the same layout.
        let fourDigitYear = (0...9999).contains(year)
        if !fourDigitYear {
            if year < 0 { output.append(UInt8(ascii: "-")) }
            appendDigits(abs(year), width: 4, to: &output)
        }
        // Every enriched line has two of these: fill 24 bytes in place and append them at once.
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { bytes in
            func put(_ value: Int64, width: Int, at position: Int) {
                var rest = value
                for index in stride(from: position + width - 1, through: position, by: -1) {
                    bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            if fourDigitYear { put(year, width: 4, at: 0) }
            bytes[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            bytes[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            bytes[10] = UInt8(ascii: "T")
            put(dayMilliseconds / 3_600_000, width: 2, at: 11)
            bytes[13] = UInt8(ascii: ":")
            put(dayMilliseconds / 60_000 % 60, width: 2, at: 14)
            bytes[16] = UInt8(ascii: ":")
            put(dayMilliseconds / 1000 % 60, width: 2, at: 17)
            bytes[19] = UInt8(ascii: ".")
            put(dayMilliseconds % 1000, width: 3, at: 20)
            bytes[23] = UInt8(ascii: "Z")
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(fourDigitYear ? 0 : 4)...]))
        }
    }

    /// `milliseconds` formatted as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func string(milliseconds: Int64) -> String {
        var bytes: [UInt8] = []
        append(milliseconds: milliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an ISO-8601 timestamp with a zone into milliseconds since the epoch, or nil if it is not one.
    public static func milliseconds(parsing text: some StringProtocol) -> Int64? {
        Array(text.utf8).withUnsafeBufferPointer { milliseconds(parsing: $0) }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// Appends `value` (non-negative) in decimal, zero-padded to at least `width` digits, without allocating.
    private static func appendDigits(_ value: Int64, width: Int, to output: inout [UInt8]) {
        var divisor: Int64 = 1
        var digits = 1
        while digits < width || value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
