import Catalog
import Synchronization

/// Write key → source, cached in memory for the hot path. A miss asks the catalog (sources created by the CLI
/// appear without a restart); unknown keys are remembered briefly so a flood of bad keys cannot hammer the catalog.
///
/// A known key is trusted for `positiveTTLMilliseconds` (5 s by default), then asked again: a key revoked or a source
/// deleted elsewhere (the CLI, another node) stops authenticating here within that time. Revocation through this
/// process's admin API evicts the key at once (`evict(writeKey:)`).
///
/// While the catalog cannot be reached, a key seen before keeps authenticating (its last answer is served, however
/// old), and a key never seen fails with the catalog's `.unavailable` error (the route answers 503 + Retry-After:
/// the node cannot know whether the key is valid). After a failed call the catalog is not asked again for
/// `retryAfterFailureMilliseconds`, so a flood of requests during an outage does not queue on a dead database.
public final class SourceDirectory: Sendable {
    let catalog: any CatalogStore
    let now: @Sendable () -> Int64
    let state = Mutex(State())
    let negativeTTLMilliseconds: Int64
    let positiveTTLMilliseconds: Int64
    let retryAfterFailureMilliseconds: Int64

    struct State {
        var byKey: [String: (source: Source, until: Int64)] = [:]
        var unknownUntil: [String: Int64] = [:]
        /// Until when a failed catalog is not asked again, and the error it gave.
        var failing: (until: Int64, error: CatalogError)?
    }

    public init(
        catalog: any CatalogStore, now: @escaping @Sendable () -> Int64, negativeTTLMilliseconds: Int64 = 2_000,
        positiveTTLMilliseconds: Int64 = 5_000, retryAfterFailureMilliseconds: Int64 = 1_000
    ) {
        self.catalog = catalog
        self.now = now
        self.negativeTTLMilliseconds = negativeTTLMilliseconds
        self.positiveTTLMilliseconds = positiveTTLMilliseconds
        self.retryAfterFailureMilliseconds = retryAfterFailureMilliseconds
    }

    /// Loads every source into the cache.
    public func preload() async throws {
        let all = try await catalog.sources()
        let until = now() + positiveTTLMilliseconds
        state.withLock { state in
            for source in all where !source.writeKey.isEmpty { state.byKey[source.writeKey] = (source, until) }
        }
    }

    /// The source of `writeKey`, or nil when no source has it (or it is revoked).
    public func source(writeKey: String) async throws -> Source? {
        let time = now()
        enum Cached { case hit(Source), unknown, failing(CatalogError), miss(stale: Source?) }
        let cached: Cached = state.withLock { state in
            if let entry = state.byKey[writeKey], entry.until > time { return .hit(entry.source) }
            if let until = state.unknownUntil[writeKey], until > time { return .unknown }
            if let failing = state.failing, failing.until > time {
                // The catalog failed a moment ago: the last answer for this key, if any, stands.
                if let stale = state.byKey[writeKey]?.source { return .hit(stale) }
                return .failing(failing.error)
            }
            return .miss(stale: state.byKey[writeKey]?.source)
        }
        let stale: Source?
        switch cached {
        case .hit(let source): return source
        case .unknown: return nil
        case .failing(let error): throw error
        case .miss(let entry): stale = entry
        }
        let found: Source?
        do {
            found = try await catalog.source(writeKey: writeKey)
        } catch {
            let failure = error
            // From the failure, not the request: a call that timed out took seconds.
            let failedAt = now()
            state.withLock { state in
                state.failing = (failedAt + retryAfterFailureMilliseconds, failure)
                // Ask again after another TTL, not with every request of the outage.
                if let stale { state.byKey[writeKey] = (stale, failedAt + positiveTTLMilliseconds) }
            }
            guard let stale else { throw failure }
            return stale
        }
        state.withLock { state in
            state.failing = nil
            if let found {
                state.byKey[writeKey] = (found, time + positiveTTLMilliseconds)
            } else {
                state.byKey[writeKey] = nil
                if state.unknownUntil.count > 10_000 { state.unknownUntil.removeAll() }
                state.unknownUntil[writeKey] = time + negativeTTLMilliseconds
            }
        }
        return found
    }

    /// Adds a source created through this process.
    public func insert(_ source: Source) {
        let until = now() + positiveTTLMilliseconds
        state.withLock {
            $0.byKey[source.writeKey] = (source, until); $0.unknownUntil[source.writeKey] = nil
        }
    }

    /// Forgets keys revoked or deleted through this process, so they stop authenticating with the next request.
    public func evict(writeKeys: [String]) {
        state.withLock { state in
            for key in writeKeys { state.byKey[key] = nil }
        }
    }
}
