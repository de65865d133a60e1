import Dispatch
import Foundation
import Logging

/// The one writer thread: takes every queued entry, writes the group with one write, makes it durable with one
/// fdatasync, and only then resumes the waiters. Owns the active segment's descriptor and the next sequence.
/// Confined to its thread after `start`, hence `@unchecked Sendable`.
final class SpoolWriter: @unchecked Sendable {
    private let core: SpoolCore
    private var configuration: SpoolConfiguration { core.configuration }
    private var activeFD: Int32
    private var activePath: String
    private var activeBytes: Int
    private var activeFirstSequence: UInt64
    /// Whether the active segment was adopted from a prepared (zero-filled) spare.
    private var activePreallocated = false
    private var nextSequence: UInt64
    private var buffer: [UInt8] = []
    private var lastDiskCheck = ContinuousClock.now

    init(core: SpoolCore, activeFD: Int32, active: SegmentInfo, nextSequence: UInt64) {
        self.core = core
        self.activeFD = activeFD
        self.activePath = core.path(active.fileName)
        self.activeBytes = active.bytes
        self.activeFirstSequence = active.firstSequence
        self.nextSequence = nextSequence
    }

    /// Starts the thread; `core.writerRunning` is left when it exits.
    func start() {
        core.writerRunning.enter()
        Thread { [self] in
            ThreadName.set("spool-writer")
            run()
        }.start()
    }

    private func run() {
        defer {
            trimPreallocatedTail()
            close(activeFD)
            core.writerRunning.leave()
        }
        while true {
            refreshFreeDisk(force: false)
            switch core.state.withLock({ $0.queue.next(maxGroupBytes: configuration.maxGroupBytes) }) {
            case .write(let group): commit(group)
            case .sleep: _ = core.wakeup.wait(timeout: .now() + configuration.diskCheckInterval.dispatchInterval)
            case .exit: return
            }
        }
    }

    private func commit(_ queued: [CommitQueue<AppendWaiter>.Entry]) {
        var group = queued
        if let error = core.state.withLock({ $0.diskError(configuration) }) {
            // Low disk refuses data records; quota-exempt control records still go through (they free space).
            for entry in group where entry.quota == .enforced { entry.waiter.resume(returning: .failure(error)) }
            group.removeAll { $0.quota == .enforced }
            if group.isEmpty { return }
        }
        do throws(SpoolError) {
            try switchSegmentIfDue()
            buffer.removeAll(keepingCapacity: true)
            var ranges: [Range<UInt64>] = []
            ranges.reserveCapacity(group.count)
            var sequence = nextSequence
            for entry in group {
                let first = sequence
                for payload in entry.payloads {
                    RecordFraming.append(kind: entry.kind, sequence: sequence, payload: payload, to: &buffer)
                    sequence += 1
                }
                ranges.append(first..<sequence)
            }
            try FileSystem.write(activeFD, buffer, at: activeBytes, activePath)
            try configuration.faults?.checkSync(activePath)
            if configuration.fsync { try FileSystem.syncData(activeFD, activePath) }
            activeBytes += buffer.count
            nextSequence = sequence
            let (bytes, last, records) = (activeBytes, sequence - 1, ranges.reduce(0) { $0 + $1.count })
            core.state.withLock { state in
                state.catalog.committed(bytes: bytes, lastSequence: last)
                state.lastSequence = last
                state.commitGroups += 1
                state.committedRecords += records
            }
            for (entry, range) in zip(group, ranges) { entry.waiter.resume(returning: .success(range)) }
        } catch {
            guard Self.isOutOfSpace(error), discardUnacknowledgedTail() else { return fail(group, error) }
            suspend(group, error)
        }
    }

    /// A write cut short by ENOSPC may have left whole, checksum-valid records of the refused group past
    /// `activeBytes`; if a later, shorter group did not overwrite them all, recovery would take them for acknowledged
    /// records (and a client's retry would then be archived twice). Cuts the file back to `activeBytes`, durably.
    /// False when that fails: the spool then fails as for any other write error.
    private func discardUnacknowledgedTail() -> Bool {
        do throws(SpoolError) {
            try FileSystem.truncate(activeFD, to: activeBytes, activePath)
            if configuration.fsync { try FileSystem.sync(activeFD, activePath) }
            // The segment is no longer zero-filled ahead: later groups extend it.
            activePreallocated = false
            return true
        } catch {
            core.logger.error(
                "spool could not cut a refused write off its segment", metadata: ["spool.error": "\(error)"])
            return false
        }
    }

    static func isOutOfSpace(_ error: SpoolError) -> Bool { error.errno == ENOSPC || error.errno == EDQUOT }

    /// The disk is full: refuse this group and every queued data append with `.full` (clients retry after a 503)
    /// until `refreshFreeDisk` measures room again. Nothing is acknowledged or lost, and the spool keeps running:
    /// `activeBytes` did not move, so the next group is written over the same range and synced.
    private func suspend(_ group: [CommitQueue<AppendWaiter>.Entry], _ error: SpoolError) {
        let full = SpoolError(
            .full,
            "the spool's disk is full (\(error.message)); appends are refused until space is freed, then resume by "
                + "themselves", errno: error.errno)
        let first = core.state.withLock { state in
            defer {
                state.outOfSpace = full
                state.freeDiskBytes = 0
            }
            return state.outOfSpace == nil
        }
        if first {
            core.logger.error(
                "spool disk full: refusing appends until space is freed", metadata: ["spool.error": "\(error)"])
        }
        for entry in group { entry.waiter.resume(returning: .failure(full)) }
    }

    /// Runs an adoption of a spare segment: it may have renamed the spare into place before failing, so its errors,
    /// ENOSPC included, fail the spool (recovery sorts the files out) rather than pause it.
    private static func unpausable<T>(_ body: () throws(SpoolError) -> T) throws(SpoolError) -> T {
        do {
            return try body()
        } catch {
            throw SpoolError(error.code, error.message + " (while adopting a prepared segment)")
        }
    }

    /// Space measured after a disk-full error that lets appends resume: the free-disk reserve plus 1 MiB.
    private var resumeFreeBytes: Int { configuration.minFreeDiskBytes + (1 << 20) }

    /// A failed write or fsync leaves the file in an unknown state, and an fsync cannot be retried safely: fail
    /// this group and everything queued, and refuse appends until the spool is reopened (recovery cuts the tail).
    private func fail(_ group: [CommitQueue<AppendWaiter>.Entry], _ error: SpoolError) {
        let failure = SpoolError(
            .failed, "spool write failed, so the spool refuses appends until it is reopened: \(error.message)",
            errno: error.errno)
        core.logger.error("spool write failed", metadata: ["spool.error": "\(error)"])
        let rest = core.state.withLock { $0.queue.fail(failure) }
        for entry in group + rest { entry.waiter.resume(returning: .failure(failure)) }
    }

    /// Rolls when the active segment is full, and moves off a segment that was not preallocated (the first one
    /// after an open) as soon as a prepared spare is ready: an empty one is replaced in place, a started one rolled.
    private func switchSegmentIfDue() throws(SpoolError) {
        let started = activeBytes > SegmentHeader.size
        if started && activeBytes >= configuration.segmentBytes {
            try roll(using: core.preparer?.take())
        } else if !activePreallocated, let spare = core.preparer?.take() {
            if started { try roll(using: spare) } else { try replaceEmptyActive(with: spare) }
        }
    }

    /// Replaces the empty active segment by a prepared spare under the same name (an atomic rename: a crash leaves
    /// one or the other, both empty). The catalog does not change.
    private func replaceEmptyActive(with spare: String) throws(SpoolError) {
        let (_, fd) = try Self.unpausable {
            () throws(SpoolError) in
            try SegmentFile.adopt(
                spare: spare, directory: configuration.directory, directoryFD: core.directoryFD,
                firstSequence: activeFirstSequence, sync: configuration.fsync)
        }
        close(activeFD)
        activeFD = fd
        activePreallocated = true
        core.logger.debug("spool moved to a preallocated segment", metadata: ["spool.segment": "\(activePath)"])
    }

    private func roll(using spare: String?) throws(SpoolError) {
        let info: SegmentInfo
        let fd: Int32
        if let spare {
            (info, fd) = try Self.unpausable {
                () throws(SpoolError) in
                try SegmentFile.adopt(
                    spare: spare, directory: configuration.directory, directoryFD: core.directoryFD,
                    firstSequence: nextSequence, sync: configuration.fsync)
            }
        } else {
            info = try SegmentFile.create(
                directory: configuration.directory, directoryFD: core.directoryFD, firstSequence: nextSequence,
                sync: configuration.fsync)
            fd = try FileSystem.open(core.path(info.fileName), O_WRONLY)
        }
        let path = core.path(info.fileName)
        close(activeFD)
        (activeFD, activePath, activeBytes) = (fd, path, info.bytes)
        (activeFirstSequence, activePreallocated) = (info.firstSequence, spare != nil)
        core.state.withLock { $0.catalog.rolled(to: info) }
        core.logger.debug("spool rolled to a new segment", metadata: ["spool.segment": "\(path)"])
        refreshFreeDisk(force: true)
    }

    /// On close, cuts the unused zeros of a preallocated active segment, so a cleanly closed spool holds exactly
    /// its records (recovery would cut them too, after a crash). Failure only leaves zeros for recovery to cut.
    private func trimPreallocatedTail() {
        guard let size = try? FileSystem.fileSize(activeFD, activePath), size > activeBytes else { return }
        do throws(SpoolError) {
            try FileSystem.truncate(activeFD, to: activeBytes, activePath)
            if configuration.fsync { try FileSystem.sync(activeFD, activePath) }
        } catch {
            core.logger.warning(
                "spool could not trim its active segment's preallocated tail", metadata: ["spool.error": "\(error)"])
        }
    }

    private func refreshFreeDisk(force: Bool) {
        let now = ContinuousClock.now
        guard force || now - lastDiskCheck >= configuration.diskCheckInterval else { return }
        lastDiskCheck = now
        do {
            let free = try FileSystem.freeBytes(configuration.directory)
            let resumeAt = resumeFreeBytes
            let resumed = core.state.withLock { state in
                state.freeDiskBytes = free
                guard state.outOfSpace != nil, free >= resumeAt else { return false }
                state.outOfSpace = nil
                return true
            }
            if resumed {
                core.logger.notice(
                    "spool has disk space again: appends resume", metadata: ["spool.free_bytes": "\(free)"])
            }
        } catch {
            core.logger.warning("spool could not measure free disk space", metadata: ["spool.error": "\(error)"])
        }
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(clamping: seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}
