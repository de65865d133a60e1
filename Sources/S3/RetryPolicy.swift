/// When and how long to wait before trying a request again: exponential backoff with full jitter, bounded by a
/// number of attempts and by total time.
///
/// ```swift
/// var policy = RetryPolicy()        // 5 attempts, 100 ms base, 20 s cap, 2 min in total
/// policy.maxAttempts = 10
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, including the first.
    public var maxAttempts: Int
    /// The backoff before attempt n+1 is a uniform random duration in [0, min(maxDelay, baseDelay * 2^(n-1))].
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// No new attempt starts after this much time since the first.
    public var maxTotalTime: Duration

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(20),
        maxTotalTime: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The full-jitter delay after failed attempt `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceilingNanos = min(Self.nanoseconds(maxDelay), Self.nanoseconds(baseDelay) &* (1 << exponent))
        guard ceilingNanos > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...ceilingNanos, using: &generator))
    }

    /// Whether another attempt may start, `elapsed` after the first began.
    public func allowsAttempt(_ nextAttempt: Int, elapsed: Duration) -> Bool {
        nextAttempt <= maxAttempts && elapsed < maxTotalTime
    }

    /// Whether a failure is transient: no response at all (connection refused, reset, timed out), 5xx, 408, 429,
    /// or one of S3's throttling and timeout codes. Everything else is final.
    public static func isRetryable(status: Int?, code: S3Error.Code?) -> Bool {
        if let code, retryableCodes.contains(code) { return true }
        guard let status else { return code == nil || code == .connectionFailed || code == .timedOut }
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    static let retryableCodes: Set<S3Error.Code> = [
        .slowDown, .requestTimeout, .throttling, .internalError, .serviceUnavailable, .connectionFailed, .timedOut,
        "ThrottlingException", "RequestThrottled", "RequestLimitExceeded", "TooManyRequestsException",
        "RequestThrottledException", "ProvisionedThroughputExceededException", "IDPCommunicationError",
    ]

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
