import Logging
import Metrics
import NIOPosix
import Pipeline
import Synchronization

/// Exact messageId de-duplication over a window, for `Ingestor`: a claim looks every id up in the disk-backed
/// `MessageIDIndex` and reserves the new ones; a settle inserts them once their spool record is durable (or frees
/// them when it was refused). One lock serializes the index and makes concurrent claims of one id wait for each
/// other. Claims and settles run on the caller's task: they touch memory only (filters, the entries not yet
/// written, the slot bitmap), except a table read when a filter answers "maybe" (a few percent of new ids, and
/// repeats) and, once per new table, its creation, which goes to NIO's thread pool. Inserted entries are written
/// to the files in bulk on the thread pool once `writeThreshold` are waiting, and all of them at `sync`. An index
/// error never blocks ingest: the event is taken as new (at worst archived twice), logged, and counted in
/// `sluice_dedupe_errors_total`.
///
/// ```swift
/// let dedupe = try Deduplicator.open(directory: data + "/dedupe", window: .standard, now: now(), logger: logger)
/// try dedupe.recover(from: spool, now: now())      // ids of records the index may not have synced
/// let ingestor = Ingestor(spool: DedupeSpoolLog(spool, dedupe), batcher: b, policy: p, messageIDFilter: dedupe)
/// ```
public final class Deduplicator: MessageIDFilter, Sendable {
    struct State: ~Copyable {
        let index: MessageIDIndex
        /// Ids reserved by unsettled claims, with the claims waiting for them.
        var pending: [IDKey: [CheckedContinuation<Void, Never>]] = [:]
        var lastExpiry: Int64? = nil
        /// A background write of the unwritten entries is queued or running.
        var writeQueued = false
    }

    private let state: Mutex<State>
    /// Held by whoever writes unwritten entries (the background writer, `sync`), one at a time.
    private let writerLock = Mutex<Void>(())
    private let threadPool: NIOThreadPool
    private let logger: Logger
    let window: DedupeWindow
    let bitsPerEntry: Int
    /// Unwritten entries that start a background write; at 8 times as many a settle writes them itself.
    let writeThreshold: Int

    init(index: MessageIDIndex, threadPool: NIOThreadPool, logger: Logger, writeThreshold: Int = 16_384) {
        bitsPerEntry = index.bitsPerEntry
        state = Mutex(State(index: index))
        self.threadPool = threadPool
        self.logger = logger
        self.writeThreshold = max(1, writeThreshold)
        window = index.window
    }

    /// Opens the index in `directory` (blocking: call at start-up), dropping slices that left the window at `now`.
    public static func open(
        directory: String, window: DedupeWindow, now: Int64, logger: Logger, hasher: MessageIDHasher = .standard,
        bitsPerEntry: Int = 8, threadPool: NIOThreadPool = .singleton, writeThreshold: Int = 16_384
    ) throws(DedupeError) -> Deduplicator {
        let index = try MessageIDIndex.open(
            directory: directory, window: window, now: now, hasher: hasher, bitsPerEntry: bitsPerEntry)
        return Deduplicator(index: index, threadPool: threadPool, logger: logger, writeThreshold: writeThreshold)
    }

    /// Ids in the window and the memory their filters hold.
    public var statistics: (ids: Int, memoryBytes: Int) {
        state.withLock { ($0.index.count, $0.index.memoryBytes) }
    }

    /// Entries inserted and not yet written to the index files.
    var unwrittenCount: Int { state.withLock { $0.index.unwrittenCount } }

    public func claim(_ ids: [[UInt8]?], receivedAtMilliseconds now: Int64) async -> MessageIDClaim {
        while true {
            switch tryClaim(ids, now: now) {
            case .claimed(let claim): return claim
            case .blocked(let id): await waitUntilSettled(id)
            }
        }
    }

    public func settle(_ claim: MessageIDClaim, accepted: Bool) async {
        var outcome = settleNow(claim, accepted: accepted, mayCreateFiles: false)
        if outcome == nil {
            outcome = await blocking { self.settleNow(claim, accepted: accepted, mayCreateFiles: true) }
        }
        guard let (waiters, unwritten) = outcome else { return }
        for waiter in waiters { waiter.resume() }
        if unwritten >= writeThreshold * 8 {
            // The background writer is not keeping up: this settle writes, bounding the memory held.
            await blocking { self.writeUnwritten() }
        } else if unwritten >= writeThreshold {
            scheduleWrite()
        }
    }

    enum ClaimOutcome: Sendable {
        case claimed(MessageIDClaim)
        /// Another claim holds this id: wait until it settles, then claim again.
        case blocked([UInt8])
    }

    func tryClaim(_ ids: [[UInt8]?], now: Int64) -> ClaimOutcome {
        state.withLock { state in
            if state.lastExpiry.map({ now - $0 >= 1_000 || now < $0 }) ?? true {
                state.index.expire(now: now)
                state.lastExpiry = now
            }
            let keys = ids.map { $0.map { IDKey($0, state.index.hasher) } }
            for case let key? in keys where state.pending[key] != nil { return .blocked(key.bytes) }
            var claim = MessageIDClaim(duplicates: [], reserved: [], receivedAtMilliseconds: now)
            claim.duplicates.reserveCapacity(ids.count)
            var mine = Set<IDKey>()
            for key in keys {
                guard let key else {
                    claim.duplicates.append(false)
                    continue
                }
                var duplicate = mine.contains(key)
                if !duplicate {
                    do throws(DedupeError) {
                        duplicate = try state.index.contains(key.bytes, hash: key.hash, now: now)
                    } catch {
                        noteError(error, "messageId lookup failed; the event is taken as new")
                    }
                }
                claim.duplicates.append(duplicate)
                if !duplicate {
                    mine.insert(key)
                    claim.reserved.append(key.bytes)
                    state.pending[key] = []
                }
            }
            if !claim.duplicates.contains(true) { claim.duplicates = [] }
            return .claimed(claim)
        }
    }

    /// Inserts (when `accepted`) and frees the claim's ids: the waiters to resume and the entries then unwritten.
    /// Nil, with nothing done, when the insert needs a new file and `mayCreateFiles` is false.
    func settleNow(
        _ claim: MessageIDClaim, accepted: Bool, mayCreateFiles: Bool
    ) -> (waiters: [CheckedContinuation<Void, Never>], unwritten: Int)? {
        state.withLock { state in
            let time = claim.receivedAtMilliseconds
            if accepted, !mayCreateFiles,
                state.index.insertNeedsNewFile(count: claim.reserved.count, receivedAt: time, now: time)
            {
                return nil
            }
            var waiters: [CheckedContinuation<Void, Never>] = []
            if accepted {
                do throws(DedupeError) {
                    let time = claim.receivedAtMilliseconds
                    try state.index.insert(claim.reserved, receivedAt: time, now: time)
                } catch {
                    noteError(error, "messageIds could not be remembered; a retry of them would be archived again")
                }
            }
            for id in claim.reserved {
                waiters += state.pending.removeValue(forKey: IDKey(id, state.index.hasher)) ?? []
            }
            return (waiters, state.index.unwrittenCount)
        }
    }

    /// Queues one background write of the unwritten entries on the thread pool, unless one is queued already.
    private func scheduleWrite() {
        let queue = state.withLock { state in
            guard !state.writeQueued else { return false }
            state.writeQueued = true
            return true
        }
        guard queue else { return }
        threadPool.submit { _ in
            self.state.withLock { $0.writeQueued = false }
            self.writeUnwritten()
        }
    }

    /// Writes every unwritten entry to its file (blocking). A failure is logged and counted; the entries stay in
    /// memory, still found by lookups, for the next write or `sync`.
    func writeUnwritten() {
        do throws(DedupeError) {
            try writeUnwrittenOrThrow()
        } catch {
            noteError(error, "messageId index entries could not be written; they are kept in memory and retried")
        }
    }

    private func writeUnwrittenOrThrow() throws(DedupeError) {
        try writerLock.withLock { _ throws(DedupeError) in
            let taken = state.withLock { $0.index.takeUnwritten() }
            var failure: DedupeError?
            for (file, entries) in taken {
                var written = failure == nil
                if written {
                    do throws(DedupeError) {
                        try file.writeUnwritten(entries)
                    } catch {
                        failure = error
                        written = false
                    }
                }
                state.withLock { _ in file.finishWriting(written: written) }
            }
            if let failure { throw failure }
        }
    }

    private func waitUntilSettled(_ id: [UInt8]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let registered = state.withLock { state in
                let key = IDKey(id, state.index.hasher)
                guard state.pending[key] != nil else { return false }
                state.pending[key]?.append(continuation)
                return true
            }
            if !registered { continuation.resume() }
        }
    }

    /// Claims parked until another claim of one of their ids settles (for tests and diagnostics).
    var waitingClaims: Int { state.withLock { $0.pending.values.reduce(0) { $0 + $1.count } } }

    /// Makes every id inserted so far durable (blocking: writes, then fdatasync). `DedupeSpoolLog` calls it before the spool
    /// deletes segments, so an id is durable in the index before the record it came from leaves the spool. Then, off
    /// the request path, shrinks the filters of slices that are over to exactly the ids they hold.
    public func sync() throws(DedupeError) {
        try writeUnwrittenOrThrow()
        try syncFiles()
        let compact = state.withLock { $0.index.filesToCompact() }
        for (file, count) in compact {
            let filter = try file.compactFilter(count: count, bitsPerEntry: bitsPerEntry)
            state.withLock { _ in file.adopt(filter, builtAtCount: count) }
        }
    }

    private func syncFiles() throws(DedupeError) {
        let dirty = state.withLock { $0.index.takeDirty() }
        for (n, file) in dirty.enumerated() {
            do {
                try file.sync()
            } catch {
                state.withLock { _ in for file in dirty[n...] { file.dirty = true } }
                throw error
            }
        }
    }

    /// Inserts ids directly, as recovery does (blocking; writes the entries once `writeThreshold` wait).
    func insertRecovered(_ id: [UInt8], receivedAt: Int64, now: Int64) throws(DedupeError) -> Bool {
        let (inserted, unwritten) = try state.withLock { state throws(DedupeError) -> (Bool, Int) in
            guard try !state.index.contains(id, now: now) else { return (false, 0) }
            try state.index.insert([id], receivedAt: receivedAt, now: now)
            return (true, state.index.unwrittenCount)
        }
        if unwritten >= writeThreshold { try writeUnwrittenOrThrow() }
        return inserted
    }

    private func noteError(_ error: DedupeError, _ message: String) {
        Counter(label: "sluice_dedupe_errors_total").increment()
        logger.error("\(message)", metadata: ["dedupe.error": "\(error)"])
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if let value = try? await threadPool.runIfActive(body) { return value }
        return body()
    }
}

/// A messageId as a dictionary key, hashed once with the index's hash (Swift's own hashing of `[UInt8]` feeds the
/// hasher byte by byte); equality still compares the bytes.
struct IDKey: Hashable, Sendable {
    let hash: UInt64
    let bytes: [UInt8]

    init(_ bytes: [UInt8], _ hasher: MessageIDHasher) {
        self.bytes = bytes
        hash = hasher.hash(bytes)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: IDKey, b: IDKey) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
}
