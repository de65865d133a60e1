import Catalog

/// What the copy recorded over the last 24 hours, summed for the console: files delivered per hour (per
/// destination and in all) and the delivery lag of each file, from the staged-file ledger's `stagedAt` (the batch
/// was closed and its events acknowledged before that) to the delivery row's `deliveredAt`. Pure.
///
/// ```swift
/// let history = DeliveryHistory(deliveries: rows, stagedAt: ledger, now: nowMs)
/// history.perHour["dest-id"]   // 24 counts, oldest hour first
/// ```
struct DeliveryHistory: Equatable {
    static let hour: Int64 = 3_600_000
    static let hours = 24

    /// Delivered files per destination, one count per hour, oldest first; the last hour is the current one.
    var perHour: [String: [Int]] = [:]
    var allPerHour = [Int](repeating: 0, count: hours)
    /// Staged → in destination, in milliseconds, of every delivered file with a ledger row.
    var lags: [Int64] = []

    init(deliveries: [DeliveryRecord], stagedAt: [String: Int64], now: Int64) {
        let currentHour = now / Self.hour
        for record in deliveries {
            let back = Int(currentHour - record.deliveredAtMilliseconds / Self.hour)
            guard back >= 0 && back < Self.hours else { continue }
            let index = Self.hours - 1 - back
            perHour[record.destinationID, default: [Int](repeating: 0, count: Self.hours)][index] += 1
            allPerHour[index] += 1
            if let staged = stagedAt[record.stagedKey] {
                lags.append(max(0, record.deliveredAtMilliseconds - staged))
            }
        }
        lags.sort()
    }

    var medianLag: Int64? { lags.isEmpty ? nil : lags[lags.count / 2] }
    var maximumLag: Int64? { lags.last }
}
