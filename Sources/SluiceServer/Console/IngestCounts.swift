import Synchronization

/// Events accepted and rejected per minute over the last 24 hours on this node, per source, for the console's
/// overview and sources pages. The Tracking API adds each request's counts (one lock and two array adds); memory is
/// fixed: at most `maximumSources` sources have their own ring, later ones share the "other" ring.
///
/// ```swift
/// counts.add(sourceID: id, accepted: 10, rejected: 1, at: now)
/// counts.snapshot(at: now).perSource[id]   // 1,440 per-minute counts, oldest first
/// ```
public final class IngestCounts: Sendable {
    /// A bound on memory (each ring holds 1,440 minutes): enough for every source a console page can chart.
    static let maximumSources = 50
    static let otherSources = "(other)"

    struct State {
        var slots: [String: Int] = [:]
        var rings: [MinuteRing] = []
        var other = MinuteRing()
        var rejected = MinuteRing()
    }

    let state = Mutex(State())

    public init() {}

    /// Counts one request's events.
    public func add(sourceID: String, accepted: Int, rejected: Int, at time: Int64) {
        let minute = time / 60_000
        state.withLock { state in
            if accepted > 0 {
                if let slot = state.slots[sourceID] {
                    state.rings[slot].add(accepted, minute: minute)
                } else if state.rings.count < Self.maximumSources {
                    state.slots[sourceID] = state.rings.count
                    state.rings.append(MinuteRing())
                    state.rings[state.rings.count - 1].add(accepted, minute: minute)
                } else {
                    state.other.add(accepted, minute: minute)
                }
            }
            if rejected > 0 { state.rejected.add(rejected, minute: minute) }
        }
    }

    /// What the charts show: the last 1,440 minutes ending at `time`'s minute, oldest first.
    struct Snapshot {
        /// Accepted events per minute of each source that has a ring (plus `otherSources` when it counted any).
        var perSource: [String: [Int]]
        var rejected: [Int]
        var endMinute: Int64
    }

    func snapshot(at time: Int64) -> Snapshot {
        let minute = time / 60_000
        return state.withLock { state in
            var perSource: [String: [Int]] = [:]
            for (source, slot) in state.slots { perSource[source] = state.rings[slot].series(endingAt: minute) }
            if state.other.total(endingAt: minute) > 0 {
                perSource[Self.otherSources] = state.other.series(endingAt: minute)
            }
            return Snapshot(perSource: perSource, rejected: state.rejected.series(endingAt: minute), endMinute: minute)
        }
    }

    /// Accepted events per source over the last 24 hours ending at `time`.
    func totals(at time: Int64) -> [String: Int] {
        let minute = time / 60_000
        return state.withLock { state in
            state.slots.mapValues { state.rings[$0].total(endingAt: minute) }
        }
    }
}
