import Logging
import Synchronization

/// A log line written at most once per `interval`, with the number of occurrences it stands for: errors a client
/// can cause at will (or a failing disk, per request) must not flood the log.
final class RateLimitedLog: Sendable {
    let level: Logger.Level
    let message: Logger.Message
    let interval: Duration
    private let state = Mutex<(last: ContinuousClock.Instant?, suppressed: Int)>((nil, 0))

    init(level: Logger.Level, message: Logger.Message, interval: Duration = .seconds(10)) {
        self.level = level
        self.message = message
        self.interval = interval
    }

    /// Logs `error` unless a line was written less than `interval` ago; then it is only counted.
    func note(_ error: any Error, logger: Logger) {
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let last = state.last, now - last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.suppressed
        }
        guard let suppressed else { return }
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if suppressed > 0 { metadata["log.suppressed"] = "\(suppressed)" }
        logger.log(level: level, message, metadata: metadata)
    }
}
