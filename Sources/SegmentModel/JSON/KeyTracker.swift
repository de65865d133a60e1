#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds members repeated within one JSON object of the values Sluice copies verbatim (`properties`, `traits`,
/// nested objects at any depth). RFC 8259 leaves duplicate names to the reader, and strict readers (DuckDB's
/// `read_json`) reject a whole file holding one, so such an event is refused rather than archived. Objects whose
/// members Sluice rebuilds (an event's top level, `context`) are not tracked: there the last one wins. Keys of the objects being scanned live on one stack shared by all nesting levels
/// (one buffer per request, reused, so no allocation per object); an object's keys are compared as they arrive
/// while it has few, and by sorting when it has many, so a hostile object with thousands of keys costs
/// O(n log n), not O(n²).
struct KeyTracker {
    private struct Key {
        var content: Range<Int>
        var hasEscapes: Bool
    }

    private var keys: [Key] = []
    private var frames: [Int] = []
    /// The first repeated key found since this was last reset (its value, quotes included).
    var duplicate: JSONValue?

    /// Up to this many keys per object are compared pairwise as they arrive; objects past it are checked at `}`.
    static let pairwiseLimit = 24

    mutating func openObject() {
        frames.append(keys.count)
    }

    mutating func add(_ key: JSONValue, in bytes: UnsafeBufferPointer<UInt8>) {
        let frame = frames.last ?? 0
        let new = Key(content: key.contentRange, hasEscapes: key.hasEscapes)
        if duplicate == nil, keys.count - frame < Self.pairwiseLimit {
            for index in frame..<keys.count where Self.same(keys[index], new, bytes) {
                duplicate = key
                break
            }
        }
        keys.append(new)
    }

    mutating func closeObject(in bytes: UnsafeBufferPointer<UInt8>) {
        guard let frame = frames.popLast() else { return }
        if duplicate == nil, keys.count - frame > Self.pairwiseLimit {
            var decoded = keys[frame...].map { key -> [UInt8] in
                var text: [UInt8] = []
                JSONString.decode(UnsafeBufferPointer(rebasing: bytes[key.content]), into: &text)
                return text
            }
            decoded.sort { $0.lexicographicallyPrecedes($1) }
            for index in decoded.indices.dropFirst() where decoded[index] == decoded[index - 1] {
                // The object's first key stands for it: the decoded text is what the message names.
                duplicate = JSONValue(
                    kind: .string, start: keys[frame].content.lowerBound - 1,
                    end: keys[frame].content.upperBound + 1)
                duplicateName = String(decoding: decoded[index], as: UTF8.self)
                break
            }
        }
        keys.removeSubrange(frame...)
    }

    /// The repeated name when it was found by sorting (`duplicate` then points at the object's first key).
    var duplicateName: String?

    /// The repeated member name, decoded, for messages.
    func duplicateText(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let duplicateName { return duplicateName }
        guard let duplicate else { return nil }
        return JSONString.decodeString(UnsafeBufferPointer(rebasing: bytes[duplicate.contentRange]))
    }

    mutating func resetDuplicate() {
        duplicate = nil
        duplicateName = nil
    }

    private static func same(_ a: Key, _ b: Key, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if !a.hasEscapes && !b.hasEscapes {
            guard a.content.count == b.content.count else { return false }
            guard let base = bytes.baseAddress, !a.content.isEmpty else { return true }
            return memcmp(base + a.content.lowerBound, base + b.content.lowerBound, a.content.count) == 0
        }
        var left: [UInt8] = []
        var right: [UInt8] = []
        JSONString.decode(UnsafeBufferPointer(rebasing: bytes[a.content]), into: &left)
        JSONString.decode(UnsafeBufferPointer(rebasing: bytes[b.content]), into: &right)
        return left == right
    }
}
