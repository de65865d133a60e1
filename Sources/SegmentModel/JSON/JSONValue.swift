/// Where a scanned JSON value sits in its buffer, and what kind of value it is.
///
/// `start..<end` covers the value's exact bytes (for strings including the quotes), so it can be copied unchanged.
struct JSONValue {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// For strings: whether the content contains a backslash escape (so raw bytes differ from the decoded text).
    var hasEscapes = false

    var range: Range<Int> { start..<end }
    /// For strings: the content between the quotes.
    var contentRange: Range<Int> { (start + 1)..<(end - 1) }
    var isNull: Bool { kind == .null }
}

/// A JSON syntax problem: what is wrong and at which byte offset.
struct JSONSyntaxError: Error {
    var offset: Int
    var reason: String

    var description: String { "\(reason) at byte \(offset)" }
}
