import Crypto
import Foundation
import NIOCore
import NIOPosix
import SigV4
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// A request body sent from a file range instead of memory: its SHA-256 (for the signature) and MD5 (for
/// Content-MD5) are computed in one pass first, then the bytes stream from disk in chunks on every attempt.
struct FileBody: Sendable, Hashable {
    let path: String
    let length: Int64
    let sha256Hex: String
    let md5Base64: String

    /// Reads the whole file once on NIO's blocking pool to hash it.
    static func hashing(path: String) async throws -> FileBody {
        try await NIOThreadPool.singleton.runIfActive {
            var sha = SHA256()
            var md5 = Insecure.MD5()
            var length: Int64 = 0
            try Files.readChunks(path) { chunk in
                sha.update(bufferPointer: chunk)
                md5.update(bufferPointer: chunk)
                length += Int64(chunk.count)
            }
            return FileBody(
                path: path, length: length, sha256Hex: Hex.encode(sha.finalize()),
                md5Base64: Data(md5.finalize()).base64EncodedString())
        }
    }

    /// The bytes as an async sequence of chunks; each iteration opens the file anew (a retry re-reads it).
    var chunks: FileChunkSequence { FileChunkSequence(path: path, length: length) }
}

/// A file's first `length` bytes in chunks of at most `chunkSize`, read with `pread` on NIO's blocking pool.
/// A file shorter than `length` (changed since it was hashed) fails the sequence instead of sending fewer bytes.
struct FileChunkSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let length: Int64
    var chunkSize = 1 << 20

    func makeAsyncIterator() -> Iterator { Iterator(sequence: self) }

    final class Iterator: AsyncIteratorProtocol {
        let sequence: FileChunkSequence
        var fd: Int32 = -1
        var position: Int64 = 0

        init(sequence: FileChunkSequence) { self.sequence = sequence }

        deinit { if fd >= 0 { close(fd) } }

        func next() async throws -> ByteBuffer? {
            guard position < sequence.length else {
                if fd >= 0 { close(fd) }
                fd = -1
                return nil
            }
            if fd < 0 { fd = try Files.open(sequence.path, O_RDONLY) }
            let (descriptor, offset, path) = (fd, position, sequence.path)
            let count = Int(Swift.min(Int64(sequence.chunkSize), sequence.length - position))
            let buffer = try await NIOThreadPool.singleton.runIfActive {
                try Self.read(descriptor, count: count, at: offset, path: path)
            }
            position += Int64(count)
            return buffer
        }

        static func read(_ fd: Int32, count: Int, at offset: Int64, path: String) throws -> ByteBuffer {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var done = 0
            while done < count {
                let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { raw in
                    let n = pread(fd, raw.baseAddress, count - done, off_t(offset + Int64(done)))
                    return n < 0 ? 0 : n
                }
                if got == 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError("read (the file is shorter than when it was hashed)", path, errno: errno)
                }
                done += got
            }
            return buffer
        }
    }
}
