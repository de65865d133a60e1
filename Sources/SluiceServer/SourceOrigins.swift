import Synchronization

/// The per-source CORS allow-lists (`sluice sources cors`), cached for the hot path: the whole map is small and
/// loaded at most once per `ttlMilliseconds` (5 s, as write keys), so a list changed by the CLI or another node
/// applies within that time. If the catalog cannot be read, the last map stays in use.
public final class SourceOrigins: Sendable {
    let load: @Sendable () async throws -> [String: [String]]
    let now: @Sendable () -> Int64
    let ttlMilliseconds: Int64
    let state = Mutex(Snapshot())

    struct Snapshot {
        var policies: [String: CORSPolicy] = [:]
        var until: Int64 = .min
    }

    /// `load` returns every source's list by source id (`SourceOriginsCatalog.sourceOrigins()`).
    public init(
        ttlMilliseconds: Int64 = 5_000, now: @escaping @Sendable () -> Int64,
        load: @escaping @Sendable () async throws -> [String: [String]]
    ) {
        self.load = load
        self.now = now
        self.ttlMilliseconds = ttlMilliseconds
    }

    /// The source's own policy, or nil when it has none (the server's `http.cors.allowOrigins` applies).
    func policy(sourceID: String) async -> CORSPolicy? {
        await current()[sourceID]
    }

    /// Whether some source's list allows `origin`: a preflight carries no write key, so it is answered for any
    /// origin a source could accept, and the actual request is then checked against its own source's list.
    func someSourceAllows(origin: String) async -> Bool {
        await current().values.contains { if case .allow = $0.decision(origin: origin) { true } else { false } }
    }

    func current() async -> [String: CORSPolicy] {
        let time = now()
        let cached = state.withLock { $0.until > time ? $0.policies : nil }
        if let cached { return cached }
        guard let lists = try? await load() else {
            return state.withLock { snapshot in
                snapshot.until = time + ttlMilliseconds
                return snapshot.policies
            }
        }
        // Lists are validated when stored; an entry that no longer parses allows nothing rather than everything.
        let policies = lists.mapValues { (try? CORSPolicy(allowOrigins: $0)) ?? CORSPolicy(origins: .only([])) }
        state.withLock { $0 = Snapshot(policies: policies, until: time + ttlMilliseconds) }
        return policies
    }
}
