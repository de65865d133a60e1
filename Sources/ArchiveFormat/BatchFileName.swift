/// The name of one batch file, in Segment's format
/// `{created ms}.{node id: 12 hex}.{build id: 7 hex or "dev"}.{uuid}.gz`.
///
/// ```swift
/// let name = try BatchFileName(
///     createdAtMilliseconds: 1_594_908_425_388, nodeID: "22d6e72e2a97", buildID: "baa71ec",
///     uuid: "ed1e5c78-7dde-4722-9c77-f0fd0cb79edb")
/// name.description  // "1594908425388.22d6e72e2a97.baa71ec.ed1e5c78-7dde-4722-9c77-f0fd0cb79edb.gz"
/// ```
public struct BatchFileName: Hashable, Sendable, CustomStringConvertible {
    /// When the file was created (flushed), in Unix milliseconds.
    public let createdAtMilliseconds: Int64
    /// The writer's node id: 12 lowercase hex digits.
    public let nodeID: String
    /// The writer's build id: 7 lowercase hex digits (a short git SHA), or `dev`.
    public let buildID: String
    /// A random UUID, lowercase.
    public let uuid: String

    /// Validates and normalizes (lowercases) the parts of a file name.
    public init(createdAtMilliseconds: Int64, nodeID: String, buildID: String, uuid: String) throws(ArchiveFormatError)
    {
        guard createdAtMilliseconds >= 0 else {
            throw ArchiveFormatError(.invalidFileName, "the creation time must not be before 1970")
        }
        let node = nodeID.lowercased()
        guard Self.isHex(node, count: 12) else {
            throw ArchiveFormatError(.invalidFileName, "node id \"\(nodeID)\" must be exactly 12 hex digits")
        }
        let build = buildID.lowercased()
        guard build == "dev" || Self.isHex(build, count: 7) else {
            throw ArchiveFormatError(
                .invalidFileName, "build id \"\(buildID)\" must be exactly 7 hex digits (a short git SHA) or \"dev\"")
        }
        let id = uuid.lowercased()
        guard Self.isUUID(id) else {
            throw ArchiveFormatError(
                .invalidFileName, "uuid \"\(uuid)\" must look like 2a6040fa-a95d-4129-ba99-b311eca23c0e")
        }
        self.createdAtMilliseconds = createdAtMilliseconds
        self.nodeID = node
        self.buildID = build
        self.uuid = id
    }

    /// Parses a file name exactly as Segment writes it (lowercase), or returns nil.
    public static func parse(_ name: some StringProtocol) -> BatchFileName? {
        guard name.hasSuffix(".gz") else { return nil }
        let parts = name.dropLast(3).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, (1...18).contains(parts[0].count),
            parts[0].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let milliseconds = Int64(parts[0]),
            parts[1...].allSatisfy({ $0 == $0.lowercased() })
        else { return nil }
        return try? BatchFileName(
            createdAtMilliseconds: milliseconds, nodeID: String(parts[1]), buildID: String(parts[2]),
            uuid: String(parts[3]))
    }

    /// Formats random bits as a version-4 UUID string (lowercase), for callers that draw their own randomness.
    public static func uuidV4(random: (UInt64, UInt64)) -> String {
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: random.0 >> (56 - 8 * $0)) }
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: random.1 >> (56 - 8 * $0)) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    public var description: String { "\(createdAtMilliseconds).\(nodeID).\(buildID).\(uuid).gz" }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy(isLowerHex)
    }

    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.utf8.allSatisfy(isLowerHex) }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
