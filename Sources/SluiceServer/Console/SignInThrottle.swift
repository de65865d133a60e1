import Synchronization

/// Slows down password guessing at the console's sign-in: per (user name, client address), after `freeFailures`
/// failed attempts each further attempt must wait twice as long as the last (1 s, 2 s, 4 s ... at most 15 min),
/// answered 429 with `Retry-After`. A success clears the key; keys idle for a day are forgotten; at most
/// `maximumKeys` are kept (the oldest go first), so the table cannot grow without bound.
///
/// ```swift
/// if let wait = throttle.wait(for: key, now: now) { /* 429, Retry-After: wait */ }
/// throttle.record(success: false, for: key, now: now)
/// ```
final class SignInThrottle: Sendable {
    static let freeFailures = 5
    static let maximumWaitMilliseconds: Int64 = 15 * 60 * 1000
    static let forgetMilliseconds: Int64 = 24 * 60 * 60 * 1000
    static let maximumKeys = 10_000

    struct Entry {
        var failures: Int
        var lastFailure: Int64
    }

    let entries = Mutex<[String: Entry]>([:])

    /// Milliseconds `key` must still wait before another attempt, or nil when it may try now.
    func wait(for key: String, now: Int64) -> Int64? {
        entries.withLock { all in
            guard let entry = all[key], entry.failures >= Self.freeFailures else { return nil }
            let remaining = entry.lastFailure + Self.delay(afterFailures: entry.failures) - now
            return remaining > 0 ? remaining : nil
        }
    }

    func record(success: Bool, for key: String, now: Int64) {
        entries.withLock { all in
            if success {
                all[key] = nil
                return
            }
            if all.count >= Self.maximumKeys {
                all = all.filter { now - $0.value.lastFailure < Self.forgetMilliseconds }
                if all.count >= Self.maximumKeys, let oldest = all.min(by: { $0.value.lastFailure < $1.value.lastFailure }) {
                    all[oldest.key] = nil
                }
            }
            var entry = all[key] ?? Entry(failures: 0, lastFailure: now)
            if now - entry.lastFailure >= Self.forgetMilliseconds { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            all[key] = entry
        }
    }

    /// The wait after `failures` failures: none up to `freeFailures`, then doubling from one second.
    static func delay(afterFailures failures: Int) -> Int64 {
        guard failures >= freeFailures else { return 0 }
        let exponent = min(failures - freeFailures, 20)
        return min(maximumWaitMilliseconds, Int64(1_000) << exponent)
    }
}
