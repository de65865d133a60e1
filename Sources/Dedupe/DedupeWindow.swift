/// How long messageIds are remembered and how the window is cut into time slices (generations): each slice's ids
/// live in their own index files, dropped whole once the slice ended more than `milliseconds` ago. An id is
/// therefore remembered at least the window and at most one slice longer.
public struct DedupeWindow: Sendable, Hashable {
    /// The window; ids accepted less than this long ago are duplicates.
    public var milliseconds: Int64
    /// The length of one slice: an eighth of the window (at least one second).
    public var sliceMilliseconds: Int64 { max(1_000, milliseconds / 8) }

    /// Segment's look-back window, 24 hours.
    public static let standard = DedupeWindow(milliseconds: 24 * 3_600_000)

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// The slice `[start, end)` holding `time`.
    public func slice(containing time: Int64) -> Range<Int64> {
        let length = sliceMilliseconds
        let start = (time >= 0 ? time / length : (time - length + 1) / length) * length
        return start..<(start + length)
    }

    /// Whether ids of a slice ending at `end` are forgotten at `now`.
    public func isExpired(sliceEnd end: Int64, now: Int64) -> Bool { end <= now - milliseconds }

    /// Parses `--dedupe-window`: `off` or `0` (nil: de-duplication off), or a number with a unit `s`, `m`, `h`, `d`
    /// (`24h`, `90m`); a bare number is seconds.
    public static func parse(_ text: String) -> DedupeWindow?? {
        let trimmed = text.trimmingWhitespace()
        if trimmed == "off" || trimmed == "0" { return .some(nil) }
        let units: [Character: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        var digits = Substring(trimmed)
        var unit: Int64 = 1_000
        if let last = digits.last, let scale = units[last] {
            unit = scale
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let value = Int64(digits), value <= 3_650 * 86_400_000 / unit
        else { return nil }
        return value == 0 ? .some(nil) : .some(DedupeWindow(milliseconds: value * unit))
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
    }
}
