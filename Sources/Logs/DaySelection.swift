import ArchiveFormat

/// Which received days a command works on: one day, an inclusive range, or every day.
///
/// ```swift
/// let selection = try DaySelection(day: "2026-11-24", from: nil, to: nil, all: false)
/// selection.select(from: listedDays)
/// ```
public enum DaySelection: Hashable, Sendable {
    case day(ReceivedDay)
    /// Inclusive at both ends; a nil end is open.
    case range(from: ReceivedDay?, to: ReceivedDay?)
    case all

    /// Builds a selection from the command-line flags; exactly one of `--day`, `--from`/`--to`, `--all`.
    public init(day: String?, from: String?, to: String?, all: Bool) throws(LogsError) {
        let kinds = [day != nil, from != nil || to != nil, all].filter { $0 }.count
        guard kinds == 1 else {
            throw LogsError(
                .invalidSelection,
                kinds == 0
                    ? "say which days: --day YYYY-MM-DD, --from/--to YYYY-MM-DD, or --all"
                    : "use only one of --day, --from/--to and --all")
        }
        if let day {
            self = .day(try UTCDate.parse(day).receivedDay)
        } else if all {
            self = .all
        } else {
            let start = try from.map { text throws(LogsError) in try UTCDate.parse(text).receivedDay }
            let end = try to.map { text throws(LogsError) in try UTCDate.parse(text).receivedDay }
            if let start, let end, end < start {
                throw LogsError(.invalidSelection, "--from \(from ?? "") is after --to \(to ?? ""); swap them")
            }
            self = .range(from: start, to: end)
        }
    }

    /// Whether `day` is selected.
    public func contains(_ day: ReceivedDay) -> Bool {
        switch self {
        case .day(let only): return day == only
        case .all: return true
        case .range(let from, let to): return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
        }
    }

    /// The selected days among `days`, oldest first.
    public func select(from days: [ReceivedDay]) -> [ReceivedDay] {
        days.filter(contains).sorted()
    }
}
