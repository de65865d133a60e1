/// The top-level member names Sluice interprets; everything else passes through untouched.
enum MemberName: UInt8, CaseIterable {
    case anonymousId, batch, channel, context, event, groupId, integrations, messageId, originalTimestamp
    case previousId, projectId, receivedAt, sentAt, timestamp, type, userId, version, writeKey
    case other

    /// Recognises a key (a string `JSONValue`, possibly with escapes) in `bytes`.
    init(key: JSONValue, in bytes: UnsafeBufferPointer<UInt8>) {
        let content = UnsafeBufferPointer(rebasing: bytes[key.contentRange])
        if key.hasEscapes {
            var decoded: [UInt8] = []
            JSONString.decode(content, into: &decoded)
            self = decoded.withUnsafeBufferPointer { MemberName(decodedKey: $0) }
        } else {
            self = MemberName(decodedKey: content)
        }
    }

    /// Recognises a decoded key.
    init(decodedKey key: UnsafeBufferPointer<UInt8>) {
        // Cheap pre-filter: every interpreted name is 4...17 bytes long.
        guard key.count >= 4, key.count <= 17 else {
            self = .other
            return
        }
        for (index, name) in MemberName.spellings.enumerated() where name.count == key.count {
            if name.elementsEqual(key), let found = MemberName(rawValue: UInt8(index)) {
                self = found
                return
            }
        }
        self = .other
    }

    /// The member name as UTF-8 bytes.
    var utf8: [UInt8] { MemberName.spellings[Int(rawValue)] }

    /// The spelling of each name, indexed by raw value (computed once).
    private static let spellings: [[UInt8]] = allCases.map { Array(String(describing: $0).utf8) }
}
