/// Reads the write key from `Authorization: Basic base64(key:)` (the colon is optional, as Segment tolerates).
public enum BasicAuth {
    /// The write key, or nil when the header is absent or not Basic. Throws on a Basic header that does not decode.
    public static func writeKey(fromAuthorization header: String?) throws(AuthError) -> String? {
        guard let header else { return nil }
        let trimmed = header.drop { $0 == " " }
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "basic " else { return nil }
        let encoded = trimmed.dropFirst(6).trimmingSpaces()
        guard let decoded = Base64.decode(encoded), let text = String(validating: decoded, as: UTF8.self) else {
            throw AuthError(message: "the Authorization header is not valid Basic auth: send base64 of 'WRITE_KEY:'")
        }
        let key =
            text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !key.isEmpty else {
            throw AuthError(message: "the Authorization header carries an empty write key: send base64 of 'WRITE_KEY:'")
        }
        return key
    }
}

/// A malformed credential.
public struct AuthError: Error, Sendable {
    public let message: String
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
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

    static func decode(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
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
