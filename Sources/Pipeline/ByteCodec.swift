/// Little-endian framing helpers for the pipeline's spool payloads.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ n: Int) throws(PipelineError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else {
            throw PipelineError(.corruptRecord, "a spool record ends early; it was written by an incompatible version")
        }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }
    mutating func u8() throws(PipelineError) -> UInt8 { try take(1).first ?? 0 }
    mutating func u32() throws(PipelineError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    mutating func u64() throws(PipelineError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    mutating func i64() throws(PipelineError) -> Int64 { Int64(bitPattern: try u64()) }
    mutating func string() throws(PipelineError) -> String { String(decoding: try take(Int(try u32())), as: UTF8.self) }
}
