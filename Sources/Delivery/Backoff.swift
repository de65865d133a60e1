/// Exponential backoff, pure: attempt 1 waits `base`, each later one twice as long, never more than `cap`.
public struct Backoff: Sendable, Hashable {
    public let baseMilliseconds: Int64
    public let capMilliseconds: Int64

    public init(baseMilliseconds: Int64, capMilliseconds: Int64) {
        self.baseMilliseconds = max(0, baseMilliseconds)
        self.capMilliseconds = max(self.baseMilliseconds, capMilliseconds)
    }

    /// The wait before retry number `attempt` (1-based).
    public func delay(attempt: Int) -> Int64 {
        guard attempt > 0 else { return 0 }
        let shift = min(attempt - 1, 40)
        let (value, overflow) = baseMilliseconds.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? capMilliseconds : min(value, capMilliseconds)
    }

    /// Between uploads of one run: 0.5 s, 1 s, 2 s, … up to 10 s.
    public static let upload = Backoff(baseMilliseconds: 500, capMilliseconds: 10_000)
    /// Between runs of a failing destination: 1 min, 2 min, 4 min, … up to 30 min.
    public static let destination = Backoff(baseMilliseconds: 60_000, capMilliseconds: 1_800_000)
}
