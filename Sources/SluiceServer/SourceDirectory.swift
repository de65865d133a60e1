import Catalog
import Synchronization

/// Write key → source, cached in memory for the hot path. A miss asks the catalog (sources created by the CLI
/// appear without a restart); unknown keys are remembered briefly so a flood of bad keys cannot hammer the catalog.
public final class SourceDirectory: Sendable {
    let catalog: any CatalogStore
    let now: @Sendable () -> Int64
    let state = Mutex(State())
    let negativeTTLMilliseconds: Int64

    struct State {
        var byKey: [String: Source] = [:]
        var unknownUntil: [String: Int64] = [:]
    }

    public init(catalog: any CatalogStore, now: @escaping @Sendable () -> Int64, negativeTTLMilliseconds: Int64 = 2_000)
    {
        self.catalog = catalog
        self.now = now
        self.negativeTTLMilliseconds = negativeTTLMilliseconds
    }

    /// Loads every source into the cache.
    public func preload() async throws {
        let all = try await catalog.sources()
        state.withLock { state in
            for source in all { state.byKey[source.writeKey] = source }
        }
    }

    /// The source of `writeKey`, or nil when no source has it.
    public func source(writeKey: String) async throws -> Source? {
        let time = now()
        enum Cached { case hit(Source), unknown, miss }
        let cached: Cached = state.withLock { state in
            if let source = state.byKey[writeKey] { return .hit(source) }
            if let until = state.unknownUntil[writeKey], until > time { return .unknown }
            return .miss
        }
        switch cached {
        case .hit(let source): return source
        case .unknown: return nil
        case .miss: break
        }
        let found = try await catalog.source(writeKey: writeKey)
        state.withLock { state in
            if let found {
                state.byKey[writeKey] = found
            } else {
                if state.unknownUntil.count > 10_000 { state.unknownUntil.removeAll() }
                state.unknownUntil[writeKey] = time + negativeTTLMilliseconds
            }
        }
        return found
    }

    /// Adds a source created through this process.
    public func insert(_ source: Source) {
        state.withLock {
            $0.byKey[source.writeKey] = source; $0.unknownUntil[source.writeKey] = nil
        }
    }
}
