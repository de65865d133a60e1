import Foundation

/// `--grep EVENT`: keeps NDJSON lines whose top-level `event` is exactly EVENT (a track call's name). A cheap
/// byte search for the JSON-encoded name rules out most lines before any line is parsed, and parsing then makes
/// sure the match is the top-level `event`, not a property that happens to hold the same text.
///
/// ```swift
/// let filter = EventFilter(event: "Order Completed")
/// filter.matches(Array(#"{"event":"Order Completed","type":"track"}"#.utf8))   // true
/// ```
public struct EventFilter: Sendable {
    public let event: String
    /// The bytes a matching line must contain: the name as a JSON string, without its quotes' escapes.
    let needle: [UInt8]

    /// A filter for the event name `event`.
    public init(event: String) {
        self.event = event
        let encoded =
            (try? JSONSerialization.data(withJSONObject: [event], options: [.withoutEscapingSlashes]))
            .map { Array($0.dropFirst().dropLast()) } ?? Array("\"\(event)\"".utf8)
        needle = encoded
    }

    /// Whether `line` (one JSON object, no newline) is a call with this event name.
    public func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        guard Self.contains(line, needle) else { return false }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return false }
        return object["event"] as? String == event
    }

    /// `matches` for an array.
    public func matches(_ line: [UInt8]) -> Bool { line.withUnsafeBytes { matches($0) } }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
