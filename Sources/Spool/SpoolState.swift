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

    /// Why a new append must be refused right now, if it must.
    /// `kind` is the kind of the record to append (nil: any), for `quotaExemptKinds`.
    func admissionError(_ configuration: SpoolConfiguration, kind: UInt8? = nil) -> SpoolError? {
        switch queue.phase {
        case .running: break
        case .failed(let error): return error
        case .closing, .closed: return SpoolError(.closed, "the spool is closed; no more appends")
        }
        let used = catalog.retainedBytes + queue.pendingBytes
        if used >= configuration.maxBytes, !(kind.map(configuration.quotaExemptKinds.contains) ?? false) {
            return SpoolError(
                .full,
                "spool quota reached: \(used) bytes retained of maxBytes \(configuration.maxBytes). Segments are "
                    + "released once their events are archived: check that archiving succeeds, or raise maxBytes")
        }
        return diskError(configuration)
    }

    func diskError(_ configuration: SpoolConfiguration) -> SpoolError? {
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
            committedRecords: committedRecords)
    }
}
