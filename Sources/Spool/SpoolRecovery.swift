import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Opening a spool directory: lock it, verify every segment, cut a torn tail off the last one, and open the
/// active segment for appending. Blocking I/O.
///
/// Policy: only the last segment can have a torn tail (older ones were fsynced before the roll, and every open
/// starts a new segment). A bad record in
/// the last segment is cut if at most `maxGroupBytes` follow it, because one group commit never writes more, so a
/// crash cannot tear more. Anything else (a bad record in an older segment, or more than a group's worth of bytes
/// after a bad record) may hide acknowledged records, so `open` refuses with `.corrupt` and says what to do.
struct SpoolRecovery {
    struct Recovered {
        var segments: [SegmentInfo]
        var directoryFD: Int32
        var lockFD: Int32
        var activeFD: Int32
    }

    let configuration: SpoolConfiguration
    let logger: Logger
    var directory: String { configuration.directory }

    func run() throws(SpoolError) -> Recovered {
        try FileSystem.makeDirectory(directory, sync: configuration.fsync)
        let directoryFD = try FileSystem.open(directory, O_RDONLY | O_DIRECTORY)
        var lockFD: Int32 = -1
        do throws(SpoolError) {
            lockFD = try lock()
            // Spare segments being prepared or not yet adopted hold no records.
            for name in try FileSystem.list(directory) where SegmentPreparer.isSpare(name) {
                if unlink(path(name)) != 0 && errno != ENOENT { throw FileSystem.error("unlink", path(name)) }
            }
            var segments = try recoverSegments()
            // Appends go to a fresh segment unless the last one is empty: a failed fsync before this open may have
            // left pages of the last segment that never reach the disk, and records acknowledged after them must
            // not share that file (recovery would cut them as a torn tail; in an older segment it refuses instead).
            let last = segments.last
            if last == nil || last?.lastSequence != nil {
                let next = last.map { ($0.lastSequence ?? 0) + 1 } ?? 1
                segments.append(
                    try SegmentFile.create(
                        directory: directory, directoryFD: directoryFD, firstSequence: next, sync: configuration.fsync))
            }
            let active = path(segments[segments.count - 1].fileName)
            let activeFD = try FileSystem.open(active, O_WRONLY)
            return Recovered(segments: segments, directoryFD: directoryFD, lockFD: lockFD, activeFD: activeFD)
        } catch {
            if lockFD >= 0 { close(lockFD) }
            close(directoryFD)
            throw error
        }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    private func lock() throws(SpoolError) -> Int32 {
        let lockPath = path("LOCK")
        let fd = try FileSystem.open(lockPath, O_RDWR | O_CREAT)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let number = errno
            close(fd)
            if number == EWOULDBLOCK {
                throw SpoolError(
                    .locked, "spool directory \(directory) is in use by another spool; stop it or use another directory"
                )
            }
            throw FileSystem.error("flock", lockPath, number)
        }
        return fd
    }

    private func recoverSegments() throws(SpoolError) -> [SegmentInfo] {
        let names = try FileSystem.list(directory)
        let firsts = names.compactMap(SegmentHeader.firstSequence(fileName:)).sorted()
        var segments: [SegmentInfo] = []
        var previous: UInt64? = nil
        for (index, first) in firsts.enumerated() {
            let isLast = index == firsts.count - 1
            if let previous, first <= previous {
                throw corrupt(first, 0, "it starts at sequence \(first), not after \(previous) of the segment before")
            }
            let segment = try recover(firstSequence: first, isLast: isLast, after: previous)
            segments.append(segment)
            previous = segment.lastSequence ?? previous
        }
        return segments
    }

    func corrupt(_ first: UInt64, _ offset: Int, _ reason: String) -> SpoolError {
        let file = path(SegmentHeader.fileName(firstSequence: first))
        return SpoolError(
            .corrupt,
            "spool segment \(file) is corrupt at byte \(offset): \(reason). Acknowledged records may be affected, "
                + "so the spool will not repair it by itself. Keep a copy of the file; to accept losing what "
                + "follows, truncate it to \(offset) bytes (or remove it if that leaves only the header) and restart")
    }
}
