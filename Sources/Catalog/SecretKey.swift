import Crypto
import Foundation

/// The 256-bit key that seals destination secrets in the catalog (AES-256-GCM).
///
/// Given as `SLUICE_SECRET_KEY` (32 bytes, base64 or hex: `openssl rand -base64 32`) or a key file holding the same
/// text. Its `id` (8 hex digits of a SHA-256 over the key) is written beside every sealed value, so a node with
/// the wrong key says so instead of failing with a bare authentication error. The id reveals nothing usable.
public struct SecretKey: Sendable {
    let key: SymmetricKey
    public let id: String

    /// `bytes` must be 32 bytes long.
    public init(bytes: [UInt8]) throws(CatalogError) {
        guard bytes.count == 32 else {
            throw CatalogError(.invalidConfiguration, "a secret key must be 32 bytes; it has \(bytes.count)")
        }
        self.init(key: SymmetricKey(data: bytes), bytes: bytes)
    }

    init(key: SymmetricKey, bytes: [UInt8]) {
        self.key = key
        var hasher = SHA256()
        hasher.update(data: Array("sluice secret key id".utf8))
        hasher.update(data: bytes)
        id = hasher.finalize().prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Parses the text of `SLUICE_SECRET_KEY` or a key file: 32 bytes as base64 or as 64 hex digits, surrounding
    /// white space ignored. `origin` names where the text came from, for the error (never the text itself).
    public static func parse(_ text: String, origin: String) throws(CatalogError) -> SecretKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 64, let bytes = hexBytes(trimmed) { return try SecretKey(bytes: bytes) }
        if let data = Data(base64Encoded: trimmed), data.count == 32 { return try SecretKey(bytes: Array(data)) }
        throw CatalogError(
            .invalidConfiguration,
            "\(origin) must hold a 32-byte key as base64 or 64 hex digits (make one with `openssl rand -base64 32`)")
    }

    /// A new random key and its base64 text.
    public static func generate() -> (key: SecretKey, text: String) {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Array($0) }
        return (SecretKey(key: key, bytes: bytes), Data(bytes).base64EncodedString())
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }
}
