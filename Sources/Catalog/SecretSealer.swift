import Crypto
import Foundation

/// Seals destination secrets before a catalog stores them and opens them when it reads them back.
///
/// A sealed value is `sluice-sealed:v1:{key id}:{base64(nonce | ciphertext | tag)}`, AES-256-GCM with the owning
/// destination's id as associated data, so a sealed value copied onto another row does not open. A value without
/// the prefix is a secret stored by a Sluice from before sealing: `open` returns it as is, and the catalog reseals
/// it at open (`SealingMigration`).
///
/// ```swift
/// let sealer = SecretSealer(key: try SecretKey.parse(env["SLUICE_SECRET_KEY"]!, origin: "SLUICE_SECRET_KEY"))
/// let stored = try sealer.seal("wJalrXUtnFEMI", context: destination.id)
/// ```
public struct SecretSealer: Sendable {
    public let key: SecretKey?
    /// What to do when a secret must be sealed or opened and there is no key (for the error).
    let missingKeyAdvice: String

    static let prefix = "sluice-sealed:v1:"

    public init(key: SecretKey) {
        self.key = key
        self.missingKeyAdvice = ""
    }

    /// A sealer without a key: sealing or opening a secret fails with `advice`.
    public static func withoutKey(advice: String) -> SecretSealer { SecretSealer(key: nil, advice: advice) }

    init(key: SecretKey?, advice: String) {
        self.key = key
        self.missingKeyAdvice = advice
    }

    /// True for a value `seal` produced (whatever key).
    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    public func seal(_ plaintext: String, context: String) throws(CatalogError) -> String {
        guard let key else { throw CatalogError(.secretKeyMissing, missingKeyAdvice) }
        do {
            let box = try AES.GCM.seal(
                Array(plaintext.utf8), using: key.key, authenticating: Self.associatedData(context))
            guard let combined = box.combined else {
                throw CatalogError(.storage, "cannot seal a destination secret")
            }
            return Self.prefix + key.id + ":" + combined.base64EncodedString()
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.storage, "cannot seal a destination secret", underlying: error)
        }
    }

    /// The plaintext of a stored value. Fails, without any part of the value in the message, when the value was
    /// sealed with another key, is damaged, or belongs to another destination.
    public func open(_ stored: String, context: String) throws(CatalogError) -> String {
        guard Self.isSealed(stored) else { return stored }
        let rest = stored.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw damaged(context) }
        let keyID = String(rest[..<colon])
        guard let key else {
            throw CatalogError(
                .secretKeyMissing, "destination \(context)'s secret is sealed with key \(keyID); \(missingKeyAdvice)")
        }
        guard keyID == key.id else {
            throw CatalogError(
                .secretKeyMismatch,
                "destination \(context)'s secret is sealed with key \(keyID), but this node's secret key is "
                    + "\(key.id); give every node the same SLUICE_SECRET_KEY")
        }
        guard let combined = Data(base64Encoded: String(rest[rest.index(after: colon)...])) else {
            throw damaged(context)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: key.key, authenticating: Self.associatedData(context))
            guard let text = String(bytes: plain, encoding: .utf8) else { throw damaged(context) }
            return text
        } catch let error as CatalogError {
            throw error
        } catch {
            throw damaged(context)
        }
    }

    func damaged(_ context: String) -> CatalogError {
        CatalogError(
            .secretKeyMismatch,
            "destination \(context)'s stored secret does not open with this key (damaged, or sealed for another "
                + "destination); set it again with `sluice destinations update`")
    }

    static func associatedData(_ context: String) -> [UInt8] { Array("sluice destination secret \(context)".utf8) }
}
