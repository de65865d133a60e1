import Crypto
import CryptoExtras
import Foundation

/// Console passwords as stored: `pbkdf2-sha256$ROUNDS$SALT$HASH` (salt and hash base64), PBKDF2-HMAC-SHA256 with
/// 600,000 rounds (OWASP's figure for it) and a 16-byte random salt, through BoringSSL. Checking derives again with
/// the stored rounds and compares in constant time. The password itself is never stored or logged.
///
/// ```swift
/// let stored = try ConsolePassword.hash("correct horse")
/// try ConsolePassword.verify("correct horse", against: stored)   // true
/// ```
public enum ConsolePassword {
    public static let rounds = 600_000
    static let scheme = "pbkdf2-sha256"
    static let saltBytes = 16
    static let hashBytes = 32
    /// Stored rounds outside this range are refused rather than run (a tampered row must not cost minutes).
    static let acceptedRounds = 100_000...10_000_000
    /// Passwords are at least this long (`sluice console users add` says so).
    public static let minimumLength = 12

    /// A new stored hash of `password` with a fresh salt.
    public static func hash(_ password: String, rounds: Int = rounds) throws(CatalogError) -> String {
        guard password.count >= minimumLength else {
            throw CatalogError(.invalidPassword, "a console password needs at least \(minimumLength) characters")
        }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let derived = try derive(Array(password.utf8), salt: salt, rounds: rounds, bytes: hashBytes)
        return "\(scheme)$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether `password` matches `stored`; false for a stored value this code cannot read.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]), acceptedRounds.contains(rounds),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            !expected.isEmpty,
            let derived = try? derive(Array(password.utf8), salt: Array(salt), rounds: rounds, bytes: expected.count)
        else { return false }
        return constantTimeEqual(derived, Array(expected))
    }

    /// A stored-looking hash no password matches, for checking an unknown user as slowly as a known one.
    public static let unmatchable = "\(scheme)$\(rounds)$AAAAAAAAAAAAAAAAAAAAAA==$"
        + Data(repeating: 0, count: hashBytes).base64EncodedString()

    /// PBKDF2-HMAC-SHA256 (RFC 8018), any round count (the known-answer tests use small ones).
    static func derive(_ password: [UInt8], salt: [UInt8], rounds: Int, bytes: Int) throws(CatalogError) -> [UInt8] {
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha256, outputByteCount: bytes, unsafeUncheckedRounds: rounds)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw CatalogError(.storage, "PBKDF2 failed", underlying: error)
        }
    }

    /// Equal length and bytes, in time that depends only on the length.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
