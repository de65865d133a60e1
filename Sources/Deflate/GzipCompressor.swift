import CLibdeflate

/// A reusable gzip compressor: keeps libdeflate's compressor state (a few hundred KiB) between calls, so a batch
/// writer can compress many chunks without re-allocating it.
///
/// Not thread-safe: give each owner (thread, actor, batch writer) its own.
///
/// ```swift
/// let compressor = GzipCompressor(level: 6)
/// var file: [UInt8] = []
/// compressor.compress(chunk1, appendingTo: &file)
/// compressor.compress(chunk2, appendingTo: &file)  // two members: still one valid gzip file
/// ```
public final class GzipCompressor {
    /// The compression level, 0 (store) ... 12 (slowest, smallest).
    public let level: Int
    private let compressor: OpaquePointer

    /// Creates a compressor. `level` is clamped to libdeflate's range 0...12; 6 matches gzip's default.
    public init(level: Int = 6) {
        let clamped = min(max(level, 0), 12)
        guard let compressor = libdeflate_alloc_compressor(Int32(clamped)) else {
            // libdeflate only fails here when malloc fails; there is nothing sensible to recover.
            fatalError("libdeflate_alloc_compressor(\(clamped)) failed: out of memory")
        }
        self.level = clamped
        self.compressor = compressor
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// Compresses `bytes` into one complete gzip member appended to `output`.
    public func compress(_ bytes: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        let bound = libdeflate_gzip_compress_bound(compressor, bytes.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBytes { out -> Int in
            let destination = UnsafeMutableRawBufferPointer(rebasing: out[start...])
            return libdeflate_gzip_compress(
                compressor, bytes.baseAddress, bytes.count, destination.baseAddress, destination.count)
        }
        // The bound is an upper limit libdeflate guarantees, so `written` is never 0 here.
        output.removeLast(bound - written)
    }

    /// Compresses `bytes` into one complete gzip member appended to `output`.
    public func compress(_ bytes: some Collection<UInt8>, appendingTo output: inout [UInt8]) {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            compress(UnsafeRawBufferPointer($0), appendingTo: &output)
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { compress($0, appendingTo: &output) }
        }
    }

    /// Returns `bytes` compressed as one complete gzip member.
    public func compress(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        compress(bytes, appendingTo: &output)
        return output
    }
}
