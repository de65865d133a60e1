import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// Streaming gzip decompression with zlib, in bounded memory: input is fed in chunks and output leaves in chunks
/// of at most `outputChunkSize` bytes, whatever the file's size or member layout. Accepts one or more
/// concatenated members (Segment's files and Sluice's own are both valid as either).
///
/// ```swift
/// let stream = try GzipStream()
/// try stream.feed(chunk) { output in write(output) }
/// try stream.finish()     // throws if the input ended inside a member
/// ```
final class GzipStream {
    static let outputChunkSize = 1 << 18
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// True before any input and right after a member ended.
    private var atMemberBoundary = true
    private var sawInput = false
    private let name: String

    /// - Parameter name: the file being read, for error messages.
    init(name: String = "input") throws(LogsError) {
        self.name = name
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: Self.outputChunkSize, alignment: 16)
        // 15 + 16: a 32 KiB window and gzip framing (not zlib, not raw deflate).
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            output.deallocate()
            stream.deallocate()
            throw LogsError(.corruptGzip, "zlib could not start (out of memory?)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Decompresses `input`, calling `sink` with each piece of output in order.
    func feed(
        _ input: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws(LogsError) -> Void
    ) throws(LogsError) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        sawInput = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        // Loop while input is left, or while the last call filled the output (zlib may hold more).
        repeat {
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            switch status {
            case Z_STREAM_END:
                atMemberBoundary = true
                inflateReset(stream)
            case Z_OK:
                atMemberBoundary = false
            case Z_BUF_ERROR where produced == 0:
                return
            case Z_BUF_ERROR:
                break
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw LogsError(
                    .corruptGzip,
                    atMemberBoundary
                        ? "\(name) has data after a gzip member that is not gzip (\(reason))"
                        : "\(name) is not valid gzip (\(reason))")
            }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
    }

    /// Checks that the input ended at the end of a member.
    func finish() throws(LogsError) {
        guard sawInput else { throw LogsError(.corruptGzip, "\(name) is empty; a gzip file holds at least one member") }
        guard atMemberBoundary else {
            throw LogsError(.corruptGzip, "\(name) ends inside a gzip member (truncated); download it again")
        }
    }

    /// Decompresses the file at `source` into a new file at `destination` (fsynced); returns the bytes written.
    static func decompress(_ source: String, to destination: String) throws(LogsError) -> Int64 {
        let inflater = try GzipStream(name: source)
        let out = try LocalFiles.open(destination, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(out) }
        var written: Int64 = 0
        try LocalFiles.readChunks(source) { chunk throws(LogsError) in
            try inflater.feed(chunk) { piece throws(LogsError) in
                try LocalFiles.writeAll(out, piece, path: destination)
                written += Int64(piece.count)
            }
        }
        try inflater.finish()
        guard fsync(out) == 0 else { throw LocalFiles.failure("fsync", destination) }
        return written
    }
}
