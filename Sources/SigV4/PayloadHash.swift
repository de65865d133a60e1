import Crypto

/// The value of the last line of the canonical request (and of `x-amz-content-sha256` for S3).
public enum PayloadHash: Sendable, Hashable {
    /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature. Only for presigned URLs or where chosen
    /// deliberately; uploads sign their body.
    case unsigned
    /// The lower-case hex SHA-256 of the body.
    case sha256Hex(String)

    /// The hash of an empty body.
    public static let empty = PayloadHash.sha256Hex(Hex.encode(SHA256.hash(data: [UInt8]())))

    /// Hashes `bytes`.
    public static func of(_ bytes: some Sequence<UInt8>) -> PayloadHash {
        .sha256Hex(Hex.encode(SHA256.hash(data: Array(bytes))))
    }

    /// Hashes the bytes in `buffer` without copying them.
    public static func of(_ buffer: UnsafeRawBufferPointer) -> PayloadHash {
        .sha256Hex(Hex.encode(SHA256.hash(data: buffer)))
    }

    public var value: String {
        switch self {
        case .unsigned: return "UNSIGNED-PAYLOAD"
        case .sha256Hex(let hex): return hex
        }
    }
}

/// Lower-case hexadecimal encoding of digests and MACs.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
