#if canImport(Glibc)
    import Glibc
#endif

extension Spool {
    /// Streams every retained durable record with `sequence >= sequence`, in order, reading segment files in
    /// chunks (memory stays bounded by one chunk or one record, whatever the backlog). Appends may run meanwhile;
    /// records committed after the call started may or may not be included. Blocking I/O: call it off the
    /// cooperative pool. Rethrows `body`'s errors; throws `SpoolError` on I/O errors or damage.
    public func replay(from sequence: UInt64 = 0, _ body: (SpoolRecord) throws -> Void) throws {
        let segments = core.state.withLock { $0.catalog.segments }
        for segment in segments {
            guard let last = segment.lastSequence, last >= sequence else { continue }
            let file = core.path(segment.fileName)
            let opened = Result { () throws(SpoolError) in try FileSystem.open(file, O_RDONLY) }
            if case .failure(let error) = opened, error.errno == ENOENT, !isRetained(segment) {
                continue  // released meanwhile
            }
            let fd = try opened.get()
            defer { Glibc.close(fd) }
            let outcome = try SegmentScanner(fd: fd, path: file).scan(
                from: SegmentHeader.size, limit: segment.bytes, after: nil
            ) { view, raw in
                guard view.sequence >= sequence else { return }
                try body(SpoolRecord(sequence: view.sequence, kind: view.kind, payload: Array(raw[view.payload])))
            }
            guard outcome.validEnd == segment.bytes else {
                throw SpoolError(
                    .corrupt,
                    "spool segment \(file) changed after it was verified (bad record at byte \(outcome.validEnd)); "
                        + "something else writes to the spool directory: stop it and reopen the spool")
            }
        }
    }

    private func isRetained(_ segment: SegmentInfo) -> Bool {
        core.state.withLock { $0.catalog.segments.contains { $0.firstSequence == segment.firstSequence } }
    }

    /// Deletes the segment files all of whose records have sequence numbers below `sequence` (never the active
    /// segment, which the writer is appending to), then syncs the directory. Failures are logged: a file that
    /// could not be deleted is only forgotten until the next `open`. Blocking I/O.
    public func release(below sequence: UInt64) {
        let released = core.state.withLock { $0.catalog.release(below: sequence) }
        guard !released.isEmpty else { return }
        for segment in released {
            let file = core.path(segment.fileName)
            if unlink(file) != 0 && errno != ENOENT {
                core.logger.error(
                    "spool could not delete a released segment",
                    metadata: ["spool.segment": "\(file)", "spool.error": "\(FileSystem.error("unlink", file))"])
            }
        }
        if core.configuration.fsync && fsync(core.directoryFD) != 0 {
            core.logger.warning(
                "spool could not sync its directory after releasing segments",
                metadata: ["spool.error": "\(FileSystem.error("fsync", core.configuration.directory))"])
        }
        core.logger.debug(
            "spool released segments",
            metadata: [
                "spool.segments": "\(released.count)", "spool.bytes": "\(released.reduce(0) { $0 + $1.bytes })",
                "spool.below": "\(sequence)",
            ])
    }
}
