import Foundation
import Logging

/// Caches another provider's credentials and refreshes them `refreshBefore` their expiry, so requests never
/// carry credentials that expire in flight. Concurrent callers share one refresh.
///
/// ```swift
/// let provider = CachingCredentialsProvider(AssumeRoleCredentialsProvider(...))
/// ```
public actor CachingCredentialsProvider: CredentialsProvider {
    let base: any CredentialsProvider
    let refreshBefore: TimeInterval
    let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refreshing: Task<AWSCredentials, any Error>?

    public init(
        _ base: any CredentialsProvider, refreshBefore: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.base = base
        self.refreshBefore = refreshBefore
        self.now = now
    }

    public nonisolated var name: String { "cached(\(base.name))" }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        if let cached, isFresh(cached) { return cached }
        if let refreshing { return try await refreshing.value }
        // One shared fetch for all waiting callers; it is awaited right here, never left running.
        let task = Task { [base] in try await base.credentials(logger: logger) }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        cached = fresh
        if let expiration = fresh.expiration {
            logger.debug(
                "credentials refreshed",
                metadata: ["s3.credentials.provider": "\(base.name)", "s3.credentials.expiration": "\(expiration)"])
        }
        return fresh
    }

    /// Forgets the cached value (after `ExpiredToken`), so the next call fetches again.
    public func invalidate() { cached = nil }

    func isFresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return now().addingTimeInterval(refreshBefore) < expiration
    }
}
