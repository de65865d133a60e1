#if canImport(Glibc)
    import Glibc
#endif

/// Creating segment files. Blocking I/O.
enum SegmentFile {
    /// Creates `{firstSequence}.spool` holding only its header, synced, and syncs the directory so the new name
    /// survives a crash before any record in it is acknowledged.
    static func create(
        directory: String, directoryFD: Int32, firstSequence: UInt64, sync: Bool
    ) throws(SpoolError) -> SegmentInfo {
        let path = directory + "/" + SegmentHeader.fileName(firstSequence: firstSequence)
        let fd = try FileSystem.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(fd) }
        try writeHeader(fd, path: path, firstSequence: firstSequence, sync: sync)
        if sync { try FileSystem.sync(directoryFD, directory) }
        return SegmentInfo(firstSequence: firstSequence, lastSequence: nil, bytes: SegmentHeader.size)
    }

    /// Turns a prepared spare (see `SegmentPreparer`) into segment `firstSequence`: writes the header over its
    /// zeros, syncs it, renames it into place and syncs the directory. Returns the segment and a descriptor open
    /// for writing. A crash before the rename leaves only the spare, which recovery deletes.
    static func adopt(
        spare: String, directory: String, directoryFD: Int32, firstSequence: UInt64, sync: Bool
    ) throws(SpoolError) -> (SegmentInfo, Int32) {
        let path = directory + "/" + SegmentHeader.fileName(firstSequence: firstSequence)
        let fd = try FileSystem.open(spare, O_WRONLY)
        do throws(SpoolError) {
            try FileSystem.write(fd, SegmentHeader(firstSequence: firstSequence).encoded(), at: 0, spare)
            if sync { try FileSystem.syncData(fd, spare) }
            guard rename(spare, path) == 0 else { throw FileSystem.error("rename", spare) }
            if sync { try FileSystem.sync(directoryFD, directory) }
        } catch {
            close(fd)
            throw error
        }
        return (SegmentInfo(firstSequence: firstSequence, lastSequence: nil, bytes: SegmentHeader.size), fd)
    }

    static func writeHeader(_ fd: Int32, path: String, firstSequence: UInt64, sync: Bool) throws(SpoolError) {
        let header = SegmentHeader(firstSequence: firstSequence).encoded()
        try FileSystem.truncate(fd, to: 0, path)
        try FileSystem.write(fd, header, at: 0, path)
        if sync { try FileSystem.syncData(fd, path) }
    }

    static func readHeader(_ fd: Int32, path: String) throws(SpoolError) -> SegmentHeader? {
        var bytes = [UInt8](repeating: 0, count: SegmentHeader.size)
        let got = try FileSystem.read(fd, into: &bytes, at: 0, path)
        return got == SegmentHeader.size ? SegmentHeader.decode(bytes) : nil
    }
}
