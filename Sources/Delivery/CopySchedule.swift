/// When the copy job runs: every hour at minute M (Segment copies "around the :40 minute mark"), or continuously
/// at a short interval. Pure: every answer is computed from epoch milliseconds passed in.
///
/// Catch-up: a run that fell due while Sluice was down happens at once on start, then the schedule goes on.
///
/// ```swift
/// let schedule = CopySchedule.hourly(minute: 40)
/// schedule.nextRun(lastRun: lastRunMs, now: nowMs)   // the epoch ms at which to start the next run
/// ```
public struct CopySchedule: Sendable, Hashable, CustomStringConvertible {
    public enum Mode: Sendable, Hashable {
        /// Once an hour at this minute (0-59), UTC.
        case hourly(minute: Int)
        /// A run starts this many milliseconds after the previous one started.
        case continuous(intervalMilliseconds: Int64)
    }

    public let mode: Mode

    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000

    /// Hourly at `minute` (clamped to 0-59).
    public static func hourly(minute: Int = 40) -> CopySchedule {
        CopySchedule(mode: .hourly(minute: min(59, max(0, minute))))
    }

    /// A run every `seconds` (at least 1).
    public static func continuous(everySeconds seconds: Int = 60) -> CopySchedule {
        CopySchedule(mode: .continuous(intervalMilliseconds: Int64(max(1, seconds)) * 1000))
    }

    /// The first scheduled instant strictly after `time`.
    public func slot(after time: Int64) -> Int64 {
        switch mode {
        case .hourly(let minute):
            let offset = Int64(minute) * Self.minute
            let hourStart = Self.floorDiv(time - offset, Self.hour) * Self.hour + offset
            return hourStart + Self.hour
        case .continuous(let interval):
            return time + interval
        }
    }

    /// The latest scheduled instant at or before `time`: the slot a run starting at `time` belongs to. Every node
    /// computes the same slot for the same hour, so a compare-and-set on it starts the run once per cluster.
    public func slot(atOrBefore time: Int64) -> Int64 {
        switch mode {
        case .hourly:
            return slot(after: time) - Self.hour
        case .continuous(let interval):
            return Self.floorDiv(time, interval) * interval
        }
    }

    /// When the next run should start, given the start of the last scheduled run (nil: never ran).
    ///
    /// - Never ran: the next slot after `now` (a fresh install waits for its first :40, as Segment's does).
    /// - The slot after `lastRun` is still ahead: that slot.
    /// - It passed while nothing ran (downtime, a long run): `now`, once; missed slots are not replayed one by one,
    ///   because one run delivers everything pending.
    public func nextRun(lastRun: Int64?, now: Int64) -> Int64 {
        guard let lastRun else { return slot(after: now) }
        let due = slot(after: lastRun)
        return due <= now ? now : due
    }

    public var description: String {
        switch mode {
        case .hourly(let minute): return "hourly at minute \(minute)"
        case .continuous(let interval): return "continuous, every \(interval / 1000) s"
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
