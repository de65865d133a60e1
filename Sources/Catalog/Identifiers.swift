/// Random identifiers and validation of user-chosen names.
public enum Identifiers {
    static let base62: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `count` random base62 characters from the system's CSPRNG.
    public static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        for _ in 0..<count { bytes.append(base62[Int(generator.next(upperBound: UInt64(62)))]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A new source id: 22 base62 characters, as Segment's newer source ids.
    public static func newSourceID() -> String { random(22) }

    /// A new write key: 32 base62 characters (Segment's write keys are 32 characters).
    public static func newWriteKey() -> String { random(32) }

    /// Source names: 1-64 of `A-Z a-z 0-9 - _ .`, not starting with `.`.
    public static func validateName(_ name: String) throws(CatalogError) {
        let ok =
            !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".")
            && name.utf8.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
        guard ok else {
            throw CatalogError(
                .invalidName, "source name '\(name.prefix(80))' is not valid: use 1-64 letters, digits, '-', '_' or '.'"
            )
        }
    }

    /// A source id taken from Segment: 10 or 22 characters of `A-Z a-z 0-9`, the shapes Segment's source ids have.
    /// Stricter than `ArchiveFormat.SourceID` (which reads any archive folder name): a given id that does not look
    /// like Segment's is most likely a typo or a source name.
    public static func validateSegmentSourceID(_ id: String) throws(CatalogError) {
        guard [10, 22].contains(id.utf8.count), id.utf8.allSatisfy(isAlphanumeric) else {
            throw CatalogError(
                .invalidSourceID,
                "source id '\(id.prefix(80))' is not a Segment source id: use the 10 or 22 letters and digits shown "
                    + "in Segment (Source → Settings → API Keys, or the folder name under segment-logs/)")
        }
    }

    /// Write keys chosen by a user: 8-128 printable ASCII characters without spaces or ':' (Basic auth splits there).
    public static func validateWriteKey(_ key: String) throws(CatalogError) {
        let ok =
            (8...128).contains(key.utf8.count)
            && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
        guard ok else {
            throw CatalogError(
                .invalidWriteKey, "a write key must be 8-128 printable ASCII characters without spaces or ':'")
        }
    }

    static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
}
