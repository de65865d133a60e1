/// Counts per minute over the last 24 hours, in a fixed ring of 1,440 slots: adding is an array add, memory is
/// fixed, and a slot left from an older day is cleared when its minute comes round again. Pure: the minute is
/// passed in.
///
/// ```swift
/// var ring = MinuteRing()
/// ring.add(3, minute: nowMs / 60_000)
/// ring.series(endingAt: nowMs / 60_000)   // 1,440 counts, oldest minute first
/// ```
struct MinuteRing: Sendable, Equatable {
    static let minutes = 1_440

    /// The epoch minute each slot counts (-1: never used).
    private var stamps = [Int64](repeating: -1, count: minutes)
    private var counts = [Int](repeating: 0, count: minutes)

    mutating func add(_ count: Int, minute: Int64) {
        let slot = Self.slot(minute)
        if stamps[slot] != minute {
            stamps[slot] = minute
            counts[slot] = 0
        }
        counts[slot] += count
    }

    /// The count of each of the 1,440 minutes ending with `minute` (included), oldest first.
    func series(endingAt minute: Int64) -> [Int] {
        (0..<Int64(Self.minutes)).map { back in
            let wanted = minute - Int64(Self.minutes) + 1 + back
            let slot = Self.slot(wanted)
            return stamps[slot] == wanted ? counts[slot] : 0
        }
    }

    /// The sum over the 1,440 minutes ending with `minute`.
    func total(endingAt minute: Int64) -> Int {
        var sum = 0
        for slot in 0..<Self.minutes where stamps[slot] > minute - Int64(Self.minutes) && stamps[slot] <= minute {
            sum += counts[slot]
        }
        return sum
    }

    private static func slot(_ minute: Int64) -> Int {
        Int(((minute % Int64(minutes)) + Int64(minutes)) % Int64(minutes))
    }
}
