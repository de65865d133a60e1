import CLibdeflate

/// One-shot gzip (RFC 1952) compression and bounded decompression, backed by libdeflate.
///
/// ```swift
/// let packed = Gzip.compress(Array("hello\n".utf8))
/// let line = try Gzip.decompress(packed, maxOutputBytes: 1 << 20)
/// ```
public enum Gzip {
    /// Returns `bytes` compressed as one complete gzip member at `level` (0...12, default 6).
    ///
    /// To compress many chunks, reuse a ``GzipCompressor`` instead.
    public static func compress(_ bytes: some Collection<UInt8>, level: Int = 6) -> [UInt8] {
        GzipCompressor(level: level).compress(bytes)
    }

    /// Returns `bytes` compressed as one complete gzip member at `level` (0...12, default 6).
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int = 6) -> [UInt8] {
        var output: [UInt8] = []
        GzipCompressor(level: level).compress(bytes, appendingTo: &output)
        return output
    }

    /// Decompresses one or more concatenated gzip members and returns their concatenated contents.
    ///
    /// Memory use is bounded by `maxOutputBytes`: the output buffer never grows past it, so a gzip bomb fails
    /// fast with `.tooLarge` instead of exhausting memory.
    ///
    /// - Throws: `DeflateError` with `.corrupt` (not gzip, bad header, bad data, CRC or length mismatch,
    ///   garbage after a member), `.truncated` (input ends inside a member) or `.tooLarge`.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int) throws(DeflateError) -> [UInt8] {
        // withUnsafeBytes is untyped-rethrows, so carry the typed error out in a Result.
        let result = bytes.withUnsafeBytes { input in
            Result { () throws(DeflateError) in try decompress(input, maxOutputBytes: maxOutputBytes) }
        }
        return try result.get()
    }

    /// Decompresses one or more concatenated gzip members; see ``decompress(_:maxOutputBytes:)-([UInt8],_)``.
    public static func decompress(
        _ bytes: UnsafeRawBufferPointer, maxOutputBytes: Int
    ) throws(DeflateError) -> [UInt8] {
        guard !bytes.isEmpty else {
            throw DeflateError(.truncated, "the gzip data is empty; send at least one complete gzip member")
        }
        guard let decompressor = libdeflate_alloc_decompressor() else {
            fatalError("libdeflate_alloc_decompressor failed: out of memory")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var inflater = MemberInflater(
            decompressor: decompressor, input: bytes, limit: max(maxOutputBytes, 0))
        while inflater.offset < bytes.count {
            try inflater.inflateMember()
        }
        return inflater.finish()
    }
}
