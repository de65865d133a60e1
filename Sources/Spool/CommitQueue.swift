/// The group-commit state machine (pure): appenders enqueue entries, the single writer takes groups, and a
/// failure or `close` moves the lifecycle on. The owner (`SpoolCore`) holds it under a lock and performs the
/// actions it returns (wake the writer, resume waiters) after unlocking.
struct CommitQueue<Waiter: Sendable>: Sendable {
    /// One `append`/`appendMany` call: its records are written contiguously, in one group.
    struct Entry: Sendable {
        var kind: UInt8
        var payloads: [[UInt8]]
        var encodedBytes: Int
        var waiter: Waiter
        var quota: AppendQuota = .enforced
    }

    enum Phase: Sendable {
        case running
        /// A write or fsync failed; appends are refused until the spool is reopened.
        case failed(SpoolError)
        /// `close()` was called; the writer drains what is queued, then exits.
        case closing
        case closed
    }

    enum EnqueueAction: Sendable {
        case wakeWriter
        case none
        case reject(SpoolError)
    }

    enum WriterAction: Sendable {
        case write([Entry])
        case sleep
        case exit
    }

    private(set) var phase: Phase = .running
    private var pending: [Entry] = []
    private var head = 0
    /// Encoded bytes queued but not yet taken by the writer (counted against the quota).
    private(set) var pendingBytes = 0
    private var writerSleeping = false

    mutating func enqueue(_ entry: Entry) -> EnqueueAction {
        switch phase {
        case .running: break
        case .failed(let error): return .reject(error)
        case .closing, .closed: return .reject(SpoolError(.closed, "the spool is closed; no more appends"))
        }
        pending.append(entry)
        pendingBytes += entry.encodedBytes
        guard writerSleeping else { return .none }
        writerSleeping = false
        return .wakeWriter
    }

    /// The writer asks for work: the queued entries in order, as many as fit in `maxGroupBytes` (always one).
    mutating func next(maxGroupBytes: Int) -> WriterAction {
        if head < pending.count {
            var end = head + 1
            var bytes = pending[head].encodedBytes
            while end < pending.count, bytes + pending[end].encodedBytes <= maxGroupBytes {
                bytes += pending[end].encodedBytes
                end += 1
            }
            let group = Array(pending[head..<end])
            head = end
            pendingBytes -= bytes
            if head == pending.count {
                pending.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024 {
                pending.removeFirst(head)
                head = 0
            }
            return .write(group)
        }
        if case .closing = phase {
            phase = .closed
            return .exit
        }
        writerSleeping = true
        return .sleep
    }

    /// A write or fsync failed: nothing more is accepted; returns every entry still queued, to be failed too.
    mutating func fail(_ error: SpoolError) -> [Entry] {
        if case .running = phase { phase = .failed(error) }
        let rest = Array(pending[head...])
        pending.removeAll()
        head = 0
        pendingBytes = 0
        return rest
    }

    /// Starts closing; true if the writer must be woken to notice.
    mutating func close() -> Bool {
        switch phase {
        case .running, .failed: phase = .closing
        case .closing, .closed: return false
        }
        let wake = writerSleeping
        writerSleeping = false
        return wake
    }
}
