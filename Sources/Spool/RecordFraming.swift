import CLibdeflate

/// The on-disk record format (pure; no I/O):
/// `[u32 length of the rest][u32 crc32 of kind+seq+payload][u8 kind][u64 seq][payload]`, little endian.
///
/// ```swift
/// var bytes: [UInt8] = []
/// RecordFraming.append(kind: 1, sequence: 7, payload: [0x41], to: &bytes)
/// let decoded = RecordFraming.decodeAll(bytes)   // one record, validEnd == bytes.count
/// ```
public enum RecordFraming {
    /// Bytes before the payload: length (4), crc (4), kind (1), sequence (8).
    public static let headerSize = 17
    /// The largest `length` field a decoder accepts; anything larger is treated as corruption.
    public static let maxLength = 1 << 30
    static let minLength = headerSize - 4

    /// The number of bytes a record with `payloadCount` payload bytes occupies.
    public static func encodedSize(payloadCount: Int) -> Int { headerSize + payloadCount }

    /// Appends one framed record to `buffer`.
    public static func append(kind: UInt8, sequence: UInt64, payload: [UInt8], to buffer: inout [UInt8]) {
        let start = buffer.count
        appendLittleEndian(UInt32(truncatingIfNeeded: minLength + payload.count), to: &buffer)
        appendLittleEndian(UInt32(0), to: &buffer)
        buffer.append(kind)
        appendLittleEndian(sequence, to: &buffer)
        buffer.append(contentsOf: payload)
        let crc = buffer.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        withUnsafeBytes(of: crc.littleEndian) { crcBytes in
            for index in 0..<4 { buffer[start + 4 + index] = crcBytes[index] }
        }
    }

    /// Decodes the record that starts at `offset` in `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> RecordDecodeResult {
        let available = bytes.count - offset
        guard available >= 4 else { return .incomplete(requiredBytes: 4) }
        let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length >= minLength, length <= maxLength else { return .corrupt(.invalidLength) }
        guard available >= 4 + length else { return .incomplete(requiredBytes: 4 + length) }
        let stored = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        let covered = UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<(offset + 4 + length)])
        guard checksum(covered) == stored else { return .corrupt(.checksumMismatch) }
        let sequence = bytes.loadUnaligned(fromByteOffset: offset + 9, as: UInt64.self).littleEndian
        return .record(
            RecordView(
                kind: bytes[offset + 8], sequence: sequence,
                payload: (offset + headerSize)..<(offset + 4 + length)))
    }

    /// Decodes records from the start of `bytes` until the end or the first incomplete or corrupt record.
    public static func decodeAll(_ bytes: [UInt8]) -> RecordDecoding {
        bytes.withUnsafeBytes { raw in
            var records: [SpoolRecord] = []
            var offset = 0
            while offset < raw.count {
                switch decode(raw, at: offset) {
                case .record(let view):
                    records.append(
                        SpoolRecord(sequence: view.sequence, kind: view.kind, payload: Array(raw[view.payload])))
                    offset = view.end
                case .incomplete:
                    return RecordDecoding(records: records, validEnd: offset, stop: .incomplete)
                case .corrupt(let reason):
                    return RecordDecoding(records: records, validEnd: offset, stop: .corrupt(reason))
                }
            }
            return RecordDecoding(records: records, validEnd: offset, stop: .end)
        }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(libdeflate_crc32(0, bytes.baseAddress, bytes.count))
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
}

/// A record decoded in place: its fields and where its payload lies in the decoded bytes.
public struct RecordView: Sendable, Hashable {
    /// The record kind.
    public var kind: UInt8
    /// The sequence number.
    public var sequence: UInt64
    /// The payload's byte range in the buffer that was decoded.
    public var payload: Range<Int>
    /// The offset just past the record.
    public var end: Int { payload.upperBound }
}

/// Why a record was rejected.
public enum RecordCorruption: Sendable, Hashable {
    /// The length field is below the fixed header or above `RecordFraming.maxLength`.
    case invalidLength
    /// The CRC-32 does not match kind + sequence + payload.
    case checksumMismatch
    /// Checksum fine, but the sequence number does not follow the previous record's.
    case sequenceOutOfOrder
}

/// The outcome of decoding one record.
public enum RecordDecodeResult: Sendable, Hashable {
    /// A whole, valid record.
    case record(RecordView)
    /// More bytes are needed: at least `requiredBytes` from the record's start.
    case incomplete(requiredBytes: Int)
    /// The bytes at this offset are not a valid record.
    case corrupt(RecordCorruption)
}

/// The outcome of `RecordFraming.decodeAll`.
public struct RecordDecoding: Sendable {
    /// Why decoding stopped.
    public enum Stop: Sendable, Hashable {
        case end
        case incomplete
        case corrupt(RecordCorruption)
    }

    /// The records before the stop, in order.
    public var records: [SpoolRecord]
    /// The offset just past the last good record (the length of the good prefix).
    public var validEnd: Int
    /// Why decoding stopped.
    public var stop: Stop
}
