import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Sluice's write-ahead spool: records are acknowledged only once written and fdatasync'ed, in segment files
/// under one directory; concurrent appends share one write and one fdatasync (group commit) on a dedicated
/// writer thread, never on Swift's cooperative pool.
///
/// ```swift
/// let spool = try Spool.open(configuration: SpoolConfiguration(directory: "/var/lib/sluice/spool"), logger: logger)
/// try spool.admission()                                   // cheap, per request: throws `.full`
/// let sequence = try await spool.append(kind: 1, payload: bytes)   // durable now
/// try spool.replay(from: 0) { record in /* re-batch */ }
/// spool.release(below: sealedUpTo)
/// spool.close()
/// ```
public final class Spool: Sendable {
    let core: SpoolCore

    private init(core: SpoolCore) {
        self.core = core
    }

    /// Opens (creating if needed) and recovers the spool in `configuration.directory`: verifies every record,
    /// cuts a torn tail off the last segment (logged with offsets), refuses with `.corrupt` damage that could hide
    /// acknowledged records, and continues numbering after the highest sequence. Locks the directory against a
    /// second spool. Blocking I/O: call it at startup, off the cooperative pool.
    public static func open(configuration: SpoolConfiguration, logger: Logger) throws(SpoolError) -> Spool {
        try configuration.validate()
        let recovered = try SpoolRecovery(configuration: configuration, logger: logger).run()
        let active = recovered.segments[recovered.segments.count - 1]
        let lastSequence = recovered.segments.reversed().lazy.compactMap(\.lastSequence).first ?? 0
        let nextSequence = Swift.max(lastSequence + 1, active.firstSequence)
        let free = (try? FileSystem.freeBytes(configuration.directory)) ?? Int.max
        let state = SpoolState(
            catalog: SegmentCatalog(recovered.segments), freeDiskBytes: free, lastSequence: nextSequence - 1,
            lockFD: recovered.lockFD)
        let preparer =
            configuration.preallocate && configuration.fsync
            ? SegmentPreparer(configuration: configuration, logger: logger) : nil
        let core = SpoolCore(
            configuration: configuration, logger: logger, state: state, directoryFD: recovered.directoryFD,
            preparer: preparer)
        preparer?.start()
        SpoolWriter(core: core, activeFD: recovered.activeFD, active: active, nextSequence: nextSequence).start()
        logger.info(
            "spool opened",
            metadata: [
                "spool.directory": "\(configuration.directory)", "spool.segments": "\(recovered.segments.count)",
                "spool.last_sequence": "\(nextSequence - 1)",
            ])
        return Spool(core: core)
    }

    deinit { core.close() }

    /// Appends one record and returns its sequence number once it is written and fdatasync'ed. Throws `.full`
    /// (quota or free disk), `.recordTooLarge`, `.failed` (an earlier write or fsync failed: reopen), or `.closed`.
    /// Not cancellable once queued: a group already being written is either durable or failed.
    public func append(kind: UInt8, payload: [UInt8], quota: AppendQuota = .enforced) async throws(SpoolError)
        -> UInt64
    {
        try await appendMany(kind: kind, payloads: [payload], quota: quota).lowerBound
    }

    /// Appends several records contiguously, in one group commit, and returns their sequence numbers
    /// (an empty range for no payloads). Their total size may not exceed `maxGroupBytes`.
    public func appendMany(
        kind: UInt8, payloads: [[UInt8]], quota: AppendQuota = .enforced
    ) async throws(SpoolError) -> Range<UInt64> {
        guard !payloads.isEmpty else { return 0..<0 }
        let configuration = core.configuration
        var bytes = 0
        for payload in payloads {
            guard payload.count <= configuration.maxPayloadBytes else {
                throw SpoolError(
                    .recordTooLarge,
                    "a \(payload.count)-byte payload exceeds maxPayloadBytes \(configuration.maxPayloadBytes)")
            }
            bytes += RecordFraming.encodedSize(payloadCount: payload.count)
        }
        guard bytes <= configuration.maxGroupBytes else {
            throw SpoolError(
                .recordTooLarge, "\(bytes) bytes in one appendMany exceed maxGroupBytes \(configuration.maxGroupBytes)")
        }
        let result = await withCheckedContinuation { (waiter: AppendWaiter) in
            core.enqueue(.init(kind: kind, payloads: payloads, encodedBytes: bytes, waiter: waiter, quota: quota))
        }
        return try result.get()
    }

    /// Throws `.full` while the quota (`maxBytes`) is used up or free disk is below `minFreeDiskBytes` (measured at
    /// most `diskCheckInterval` ago), and `.failed`/`.closed` when appends would fail. Cheap: one lock, no I/O.
    public func admission() throws(SpoolError) {
        if let error = core.state.withLock({ $0.admissionError(core.configuration) }) { throw error }
    }

    /// What the spool holds and has done.
    public var usage: SpoolUsage {
        core.state.withLock { state in
            var usage = state.usage
            usage.refusal = state.admissionError(core.configuration).map {
                SpoolUsage.Refusal(code: $0.code.description, message: $0.message)
            }
            return usage
        }
    }

    /// Waits for queued appends to be committed, stops the writer thread and unlocks the directory.
    /// Later appends throw `.closed`. Idempotent; blocks briefly.
    public func close() { core.close() }
}
