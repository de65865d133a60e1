import Foundation
import Testing

@testable import SegmentModel

/// Helpers shared by the SegmentModel suites (Foundation is used here only to check output).
enum Fixture {
    static let receivedAt: Int64 = 1_700_000_000_123  // 2023-11-14T22:13:20.123Z

    static func context(peerIP: String? = "198.51.100.7") -> EnrichmentContext {
        EnrichmentContext(
            sourceID: "src_123", receivedAtMilliseconds: receivedAt, peerIP: peerIP,
            messageIDGenerator: MessageIDGenerator { _ in "api-generated" })
    }

    static func decode(_ body: String, _ endpoint: Endpoint, limits: IngestLimits = IngestLimits()) throws(SegmentError)
        -> DecodedRequest
    {
        try TrackingRequestDecoder.decode(body: Array(body.utf8), endpoint: endpoint, limits: limits)
    }

    /// Decodes and enriches every event, returning the lines as strings.
    static func enrich(_ body: String, _ endpoint: Endpoint, context: EnrichmentContext = context()) throws -> [String]
    {
        let request = try decode(body, endpoint)
        var enricher = Enricher()
        return request.events.map { event in
            var line: [UInt8] = []
            enricher.appendLine(for: event, of: request, context: context, into: &line)
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// Enriches a single call and returns the line.
    static func line(_ body: String, _ type: CallType = .track, context: EnrichmentContext = context()) throws -> String
    {
        try #require(try enrich(body, .single(type), context: context).first)
    }

    /// Parses a line with Foundation, failing the test if it is not a JSON object.
    static func object(_ line: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        return try #require(parsed as? [String: Any])
    }

    /// The top-level keys of a JSON object text in the order they appear (checks the sort order of output).
    static func topLevelKeys(_ line: String) throws -> [String] {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.enterContainer(depth: 1)
            var keys: [String] = []
            var first = true
            while let key = try cursor.nextKey(isFirst: &first) {
                keys.append(cursor.text(of: key))
                _ = try cursor.value(depth: 2)
            }
            return keys
        }
    }

    /// The first member name repeated within one object anywhere in `line` (nil: a strict reader takes it).
    static func repeatedKey(_ line: String) throws -> String? {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBufferPointer { buffer -> String? in
            var cursor = JSONCursor(buffer, tracksKeys: true)
            _ = try cursor.value(depth: 1)
            return cursor.keys?.duplicateText(in: buffer)
        }
    }

    /// The raw bytes of a top-level member's value.
    static func rawValue(_ line: String, _ name: String) throws -> String? {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBufferPointer { buffer -> String? in
            var cursor = JSONCursor(buffer)
            try cursor.enterContainer(depth: 1)
            var first = true
            var found: String?
            while let key = try cursor.nextKey(isFirst: &first) {
                let value = try cursor.value(depth: 2)
                if cursor.text(of: key) == name {
                    found = String(decoding: UnsafeBufferPointer(rebasing: buffer[value.range]), as: UTF8.self)
                }
            }
            return found
        }
    }
}
