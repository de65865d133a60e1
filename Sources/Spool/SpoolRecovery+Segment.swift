import Logging

#if canImport(Glibc)
    import Glibc
#endif

extension SpoolRecovery {
    /// Verifies one segment; for the last one, cuts a torn tail (ftruncate + fsync) and logs it.
    func recover(firstSequence first: UInt64, isLast: Bool, after previous: UInt64?) throws(SpoolError)
        -> SegmentInfo
    {
        let file = path(SegmentHeader.fileName(firstSequence: first))
        let fd = try FileSystem.open(file, isLast ? O_RDWR : O_RDONLY)
        defer { close(fd) }
        let size = try FileSystem.fileSize(fd, file)
        guard let header = try SegmentFile.readHeader(fd, path: file) else {
            // A crash while a roll created this file: it was synced before any record went in, so nothing in it
            // was acknowledged. Rewrite the header.
            guard isLast, size <= SegmentHeader.size else {
                throw corrupt(first, 0, "its header is missing or damaged (\(size) bytes)")
            }
            logger.warning(
                "spool segment header was torn; rewriting it",
                metadata: ["spool.segment": "\(file)", "spool.bytes": "\(size)"])
            try SegmentFile.writeHeader(fd, path: file, firstSequence: first, sync: configuration.fsync)
            return SegmentInfo(firstSequence: first, lastSequence: nil, bytes: SegmentHeader.size)
        }
        guard header.firstSequence == first else {
            throw corrupt(first, 8, "its header says first sequence \(header.firstSequence), its name \(first)")
        }
        let scanner = SegmentScanner(fd: fd, path: file)
        // Sequences start at 1 and must exceed both the previous segment's last and this one's first - 1.
        let floor = Swift.max(previous ?? 0, first == 0 ? 0 : first - 1)
        let outcome: SegmentScanner.Outcome
        do {
            outcome = try scanner.scan(from: SegmentHeader.size, limit: size, after: floor) { _, _ in }
        } catch let error as SpoolError {
            throw error
        } catch {
            throw SpoolError(.io, "reading \(file) failed: \(error)")
        }
        let info = SegmentInfo(firstSequence: first, lastSequence: outcome.lastSequence, bytes: outcome.validEnd)
        guard outcome.validEnd < size else { return info }

        // Zeros after the records are a preallocated segment's unused space (see `SegmentPreparer`); only the
        // bytes up to the last non-zero one can be a torn or damaged record.
        let dataEnd = try SegmentScanner(fd: fd, path: file).endOfNonZeroBytes(from: outcome.validEnd, to: size)
        if dataEnd == outcome.validEnd {
            logger.debug(
                "spool segment ends in preallocated zeros",
                metadata: [
                    "spool.segment": "\(file)", "spool.valid_end": "\(outcome.validEnd)", "spool.file_size": "\(size)",
                ])
            if isLast {
                try FileSystem.truncate(fd, to: outcome.validEnd, file)
                if configuration.fsync { try FileSystem.sync(fd, file) }
            }
            return info
        }
        let reason = outcome.stop == .incomplete ? "an incomplete record" : "a corrupt record (\(outcome.stop))"
        let tail = dataEnd - outcome.validEnd
        guard isLast else { throw corrupt(first, outcome.validEnd, "\(reason) in a segment that is not the last") }
        if configuration.fsync && tail > configuration.maxGroupBytes {
            throw corrupt(
                first, outcome.validEnd,
                "\(reason), followed by \(tail) bytes: more than one group commit (maxGroupBytes "
                    + "\(configuration.maxGroupBytes)) can leave torn, so this is not a torn tail")
        }
        logger.warning(
            "spool segment had a torn tail; cutting it",
            metadata: [
                "spool.segment": "\(file)", "spool.valid_end": "\(outcome.validEnd)", "spool.file_size": "\(size)",
                "spool.reason": "\(reason)", "spool.last_sequence": "\(outcome.lastSequence.map(String.init) ?? "-")",
            ])
        try FileSystem.truncate(fd, to: outcome.validEnd, file)
        if configuration.fsync { try FileSystem.sync(fd, file) }
        return info
    }
}
