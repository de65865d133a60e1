/// A group-commit waiter: resumed exactly once with the committed sequence range or the error.
typealias AppendWaiter = CheckedContinuation<Result<Range<UInt64>, SpoolError>, Never>

/// Everything the appenders, the writer thread and the public API share; lives in one `Mutex`.
struct SpoolState: Sendable {
    var queue = CommitQueue<AppendWaiter>()
    var catalog: SegmentCatalog
    var freeDiskBytes: Int
    /// The highest durable sequence (0 if none).
    var lastSequence: UInt64
    var commitGroups = 0
    var committedRecords = 0
    var lockFD: Int32
    /// Set when a write or fsync failed for lack of disk space (ENOSPC, EDQUOT): data appends are refused with
    /// `.full` until the writer measures free space again. Unlike `.failed`, nothing was left half-done: the
    /// group was not acknowledged, the active segment's end did not move, and the next group rewrites that range.
    var outOfSpace: SpoolError?

    /// Why a new append must be refused right now, if it must. Control records (`quota: .exempt`) are refused only
    /// when the spool cannot write at all: they are what lets a full spool release space.
    func admissionError(_ configuration: SpoolConfiguration, quota: AppendQuota = .enforced) -> SpoolError? {
        switch queue.phase {
        case .running: break
        case .failed(let error): return error
        case .closing, .closed: return SpoolError(.closed, "the spool is closed; no more appends")
        }
        if quota == .exempt { return nil }
        if let outOfSpace { return outOfSpace }
        let used = catalog.retainedBytes + queue.pendingBytes
        if used >= configuration.maxBytes {
            return SpoolError(
                .full,
                "spool quota reached: \(used) bytes retained of maxBytes \(configuration.maxBytes). Segments are "
                    + "released once their events are archived: check that archiving succeeds, or raise maxBytes")
        }
        return diskError(configuration)
    }

    func diskError(_ configuration: SpoolConfiguration) -> SpoolError? {
        if let outOfSpace { return outOfSpace }
        guard freeDiskBytes < configuration.minFreeDiskBytes else { return nil }
        return SpoolError(
            .full,
            "free disk space for the spool directory \(configuration.directory) is \(freeDiskBytes) bytes, below "
                + "minFreeDiskBytes \(configuration.minFreeDiskBytes): free disk space or lower minFreeDiskBytes")
    }

    var usage: SpoolUsage {
        SpoolUsage(
            retainedBytes: catalog.retainedBytes, segmentCount: catalog.segments.count,
            lastSequence: lastSequence, freeDiskBytes: freeDiskBytes, commitGroups: commitGroups,
            committedRecords: committedRecords, refusal: nil, outOfSpace: outOfSpace != nil)
    }
}

/// Whether an append counts against the quota and the free-disk reserve.
public enum AppendQuota: Sendable, Equatable {
    /// Data records: refused with `.full` when the quota or free disk is exhausted.
    case enforced
    /// Small control records whose commit lets the owner release space (for example a seal marking events as
    /// archived). Refusing them would deadlock a full spool.
    case exempt
}
