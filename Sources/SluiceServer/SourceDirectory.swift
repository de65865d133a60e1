import Catalog
import Synchronization

/// Write key → source, cached in memory for the hot path. A miss asks the catalog (sources created by the CLI
/// appear without a restart); unknown keys are remembered briefly so a flood of bad keys cannot hammer the catalog.
///
/// A known key is trusted for `positiveTTLMilliseconds` (5 s by default), then asked again: a key revoked or a source
/// deleted elsewhere (the CLI, another node) stops authenticating here within that time. Revocation through this
/// process's admin API evicts the key at once (`evict(writeKey:)`).
public final class SourceDirectory: Sendable {
    let catalog: any CatalogStore
    let now: @Sendable () -> Int64
    let state = Mutex(State())
    let negativeTTLMilliseconds: Int64
    let positiveTTLMilliseconds: Int64

    struct State {
        var byKey: [String: (source: Source, until: Int64)] = [:]
        var unknownUntil: [String: Int64] = [:]
    }

    public init(
        catalog: any CatalogStore, now: @escaping @Sendable () -> Int64, negativeTTLMilliseconds: Int64 = 2_000,
        positiveTTLMilliseconds: Int64 = 5_000
    ) {
        self.catalog = catalog
        self.now = now
        self.negativeTTLMilliseconds = negativeTTLMilliseconds
        self.positiveTTLMilliseconds = positiveTTLMilliseconds
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
        enum Cached { case hit(Source), unknown, miss(stale: Source?) }
        let cached: Cached = state.withLock { state in
            if let entry = state.byKey[writeKey], entry.until > time { return .hit(entry.source) }
            if let until = state.unknownUntil[writeKey], until > time { return .unknown }
            return .miss(stale: state.byKey[writeKey]?.source)
        }
        let stale: Source?
        switch cached {
        case .hit(let source): return source
        case .unknown: return nil
        case .miss(let entry): stale = entry
        }
        let found: Source?
        do {
            found = try await catalog.source(writeKey: writeKey)
        } catch {
            guard let stale else { throw error }
            // Ask again after another TTL, not with every request of the outage.
            state.withLock { $0.byKey[writeKey] = (stale, time + positiveTTLMilliseconds) }
            return stale
        }
        state.withLock { state in
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
