/// A batch being filled: its file under the staging directory gets one gzip member per `memberBytes`.
struct OpenBatch: Sendable {
    let handle: BatchHandle
    let openedAtMilliseconds: Int64
    var firstSequence: UInt64
    var lastSequence: UInt64
    var eventCount: UInt64 = 0
    var pending: [UInt8] = []
    /// Gzip bytes written or queued for the file (queued members count at their uncompressed size until written).
    var compressedBytes = 0
    var queuedBytes = 0
}

/// Identity of a batch file.
public struct BatchHandle: Hashable, Sendable {
    public let key: BatchKey
    /// Random UUID, also the last field of the file name.
    public let uuid: String
    /// File of the batch under construction, relative to the data directory.
    public var stagingPath: String { "staging/open/\(key.sourceID)-\(key.day)-\(uuid).gz" }
}

/// A batch that stopped taking events; its remaining bytes still have to be written and sealed.
public struct ClosingBatch: Sendable {
    public let handle: BatchHandle
    public let firstSequence: UInt64
    public let lastSequence: UInt64
    public let eventCount: UInt64
    public let remainder: [UInt8]
    public let reason: CloseReason
}

/// Why a batch closed (logged and counted).
public enum CloseReason: String, Sendable {
    case size, age, dayEnd = "day_end", flush, shutdown
    /// A member could not be written: the batch is closed at once and rebuilt from the spool on retry.
    case writeFailed = "write_failed"
}

/// What the owner of `OpenBatches` must do next.
enum BatchAction: Sendable {
    case writeMember(BatchHandle, [UInt8])
    case close(ClosingBatch)
}

/// The batching state machine: pure, time is passed in. One open batch per (source, received day).
struct OpenBatches: Sendable {
    let policy: BatchingPolicy
    let newUUID: @Sendable () -> String
    private(set) var batches: [BatchKey: OpenBatch] = [:]
    /// Uncompressed bytes held in `pending` buffers across all batches.
    private(set) var pendingBytes = 0

    init(policy: BatchingPolicy, newUUID: @escaping @Sendable () -> String) {
        self.policy = policy
        self.newUUID = newUUID
    }

    mutating func append(_ record: EventsRecord, sequence: UInt64, now: Int64) -> [BatchAction] {
        var actions: [BatchAction] = []
        // Taken out of the dictionary (not copied) so `pending` stays uniquely referenced and appending to it does
        // not copy the whole buffer: up to `memberBytes` per request otherwise.
        var batch =
            batches.removeValue(forKey: record.key)
            ?? OpenBatch(
                handle: BatchHandle(key: record.key, uuid: newUUID()), openedAtMilliseconds: now,
                firstSequence: sequence, lastSequence: sequence)
        batch.lastSequence = sequence
        batch.eventCount += UInt64(record.eventCount)
        batch.pending.append(contentsOf: record.lines)
        pendingBytes += record.lines.count
        if batch.pending.count >= policy.memberBytes {
            actions.append(takeMember(&batch))
        }
        batches[record.key] = batch
        if pendingBytes > policy.pendingBudgetBytes { actions += rebalance() }
        return actions
    }

    /// The member writer finished one member of `handle`: `written` gzip bytes replaced `queued` raw bytes.
    mutating func memberWritten(_ handle: BatchHandle, queued: Int, written: Int) -> [BatchAction] {
        guard let index = batches.index(forKey: handle.key), batches.values[index].handle == handle else { return [] }
        batches.values[index].queuedBytes -= queued
        batches.values[index].compressedBytes += written
        let batch = batches.values[index]
        if batch.compressedBytes + batch.queuedBytes >= policy.closeThreshold {
            return close(handle.key, .size).map { [$0] } ?? []
        }
        return []
    }

    /// Closes batches that are too old or whose UTC day has ended.
    mutating func closeDue(now: Int64) -> [BatchAction] {
        var actions: [BatchAction] = []
        for (key, batch) in batches {
            if now >= key.day + 86_400_000 {
                if let action = close(key, .dayEnd) { actions.append(action) }
            } else if now - batch.openedAtMilliseconds >= policy.maxBatchAgeMilliseconds {
                if let action = close(key, .age) { actions.append(action) }
            }
        }
        return actions
    }

    /// Closes the open batch `handle` if it is still open (a member of it could not be written: closing it now
    /// starts its retry instead of filling a file that will be rebuilt anyway).
    mutating func close(_ handle: BatchHandle, _ reason: CloseReason) -> [BatchAction] {
        guard batches[handle.key]?.handle == handle else { return [] }
        return close(handle.key, reason).map { [$0] } ?? []
    }

    mutating func closeAll(_ reason: CloseReason) -> [BatchAction] {
        batches.keys.compactMap { close($0, reason) }
    }

    /// The lowest spool sequence still held by an open batch.
    var lowestSequence: UInt64? { batches.values.lazy.map(\.firstSequence).min() }

    private mutating func close(_ key: BatchKey, _ reason: CloseReason) -> BatchAction? {
        guard let batch = batches.removeValue(forKey: key) else { return nil }
        pendingBytes -= batch.pending.count
        return .close(
            ClosingBatch(
                handle: batch.handle, firstSequence: batch.firstSequence, lastSequence: batch.lastSequence,
                eventCount: batch.eventCount, remainder: batch.pending, reason: reason))
    }

    private mutating func takeMember(_ batch: inout OpenBatch) -> BatchAction {
        let bytes = batch.pending
        batch.pending = []
        // Only a batch cut at full size reserves a full buffer again: a batch cut small by the memory budget (one of
        // thousands of sources) would otherwise pin a buffer as large as its last member, empty or not, which
        // `pendingBytes` does not see (10,000 such buffers were most of the RSS at 10,000 sources).
        if bytes.count >= policy.memberBytes { batch.pending.reserveCapacity(policy.memberBytes) }
        batch.queuedBytes += bytes.count
        pendingBytes -= bytes.count
        return .writeMember(batch.handle, bytes)
    }

    /// Over the memory budget: compress the largest pending buffers until under half the budget.
    private mutating func rebalance() -> [BatchAction] {
        var actions: [BatchAction] = []
        let largest = batches.filter { !$0.value.pending.isEmpty }.sorted {
            $0.value.pending.count > $1.value.pending.count
        }
        for (key, _) in largest where pendingBytes > policy.pendingBudgetBytes / 2 {
            guard var batch = batches.removeValue(forKey: key) else { continue }
            actions.append(takeMember(&batch))
            batches[key] = batch
        }
        return actions
    }
}
