/// Reads the write key from `Authorization: Basic base64(key:)` (the colon is optional, as Segment tolerates).
///
/// Every tracking request carries this header, so it is parsed over its UTF-8 bytes in one pass, without the
/// grapheme-cluster work of String's Character view.
public enum BasicAuth {
    /// The write key, or nil when the header is absent or not Basic. Throws on a Basic header that does not decode.
    ///
    /// ```swift
    /// try BasicAuth.writeKey(fromAuthorization: "Basic a2V5Og==")   // "key"
    /// try BasicAuth.writeKey(fromAuthorization: "Bearer x")         // nil
    /// ```
    public static func writeKey(fromAuthorization header: String?) throws(AuthError) -> String? {
        guard var header else { return nil }
        let parsed = header.withUTF8 { parse($0) }
        switch parsed {
        case .notBasic: return nil
        case .key(let key): return key
        case .undecodable:
            throw AuthError(message: "the Authorization header is not valid Basic auth: send base64 of 'WRITE_KEY:'")
        case .emptyKey:
            throw AuthError(message: "the Authorization header carries an empty write key: send base64 of 'WRITE_KEY:'")
        }
    }

    enum Parsed: Equatable {
        case notBasic
        case key(String)
        case undecodable
        case emptyKey
    }

    /// `[spaces]Basic <base64>[spaces]`, the scheme in any case; the credentials are the decoded bytes up to the
    /// first colon, and must be UTF-8.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        var end = bytes.count
        guard end - start > scheme.count else { return .notBasic }
        for (offset, expected) in scheme.enumerated() where lowercased(bytes[start + offset]) != expected {
            return .notBasic
        }
        while end > start + scheme.count, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard let decoded = Base64.decode(UnsafeBufferPointer(rebasing: bytes[(start + scheme.count)..<end])) else {
            return .undecodable
        }
        let keyEnd = decoded.firstIndex(of: UInt8(ascii: ":")) ?? decoded.count
        guard let text = String(validating: decoded, as: UTF8.self) else { return .undecodable }
        guard keyEnd > 0 else { return .emptyKey }
        return .key(keyEnd == decoded.count ? text : String(decoding: decoded[..<keyEnd], as: UTF8.self))
    }

    private static let scheme: [UInt8] = Array("basic ".utf8)

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// A malformed credential.
public struct AuthError: Error, Sendable {
    public let message: String
}

/// Standard base64 (with or without padding) decoding.
enum Base64 {
    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            t[Int(c)] = UInt8(i)
        }
        return t
    }()

    /// The decoded bytes, or nil for a character outside the alphabet, anything after padding, or more than two
    /// padding characters.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            if c == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }
            let v = table[Int(c)]
            guard v != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return padding <= 2 ? out : nil
    }
}
