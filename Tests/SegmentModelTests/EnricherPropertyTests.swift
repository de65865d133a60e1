import Testing

@testable import SegmentModel

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite struct EnricherPropertyTests {
    static let values = [
        "1", "-2.5e3", "true", "null", #""text""#, #""caf\u00e9 \ud83d\ude00""#, #"{"nested":{"deep":[1,{"x":"y"}]}}"#,
        "[]", #""2024-01-02T03:04:05.678+02:00""#, "\"\u{4E2D}\u{6587}\"",
    ]
    static let extraKeys = [
        "properties", "traits", "name", "category", "_metadata", "writeKey", "zzz", "Zed", "caf\u{E9}",
        "timeStamp", "sentAt", "channel", "originalTimestamp", "projectId", "version", "receivedAt", "integrations",
        "context",
    ]

    @Test func randomEventsEnrichToValidLinesWithExactlyTheExpectedKeys() throws {
        var random = SplitMix64(state: 42)
        for round in 0..<400 {
            let type = CallType.allCases.randomElement(using: &random) ?? .track
            var members: [(String, String)] = [("userId", #""u-\#(round)""#)]
            if type == .track { members.append(("event", #""Event \#(round)""#)) }
            if type == .group { members.append(("groupId", "\(round)")) }
            if type == .alias { members.append(("previousId", #""p""#)) }
            if Bool.random(using: &random) { members.append(("messageId", #""m-\#(round)""#)) }
            if Bool.random(using: &random) {
                members.append(("timestamp", Self.values.randomElement(using: &random) ?? "null"))
            }
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let key = Self.extraKeys.randomElement(using: &random) ?? "x"
                var value = Self.values.randomElement(using: &random) ?? "1"
                // A repeated name in `context` (rebuilt: the last wins); `integrations` is copied, so none there.
                if key == "context" { value = #"{"a":1,"library":null,"a":2}"# }
                if key == "integrations" { value = #"{"a":1,"library":null,"b":2}"# }
                members.append((key, value))
            }
            members.shuffle(using: &random)
            let body = "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
            let line = try Fixture.line(body, type)

            let object = try Fixture.object(line)
            #expect(try Fixture.repeatedKey(line) == nil, "\(line)")
            var expected = Set(members.map(\.0))
            expected.formUnion([
                "channel", "context", "integrations", "messageId", "projectId", "receivedAt", "timestamp", "type",
                "version",
            ])
            let timestamp = members.last { $0.0 == "timestamp" }?.1
            if (timestamp == nil || timestamp == "null") && !expected.contains("originalTimestamp") {
                expected.remove("originalTimestamp")
            } else {
                expected.insert("originalTimestamp")
            }
            #expect(Set(object.keys) == expected, "\(body)\n\(line)")
            let keys = try Fixture.topLevelKeys(line)
            #expect(keys.count == Set(keys).count)
            #expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            #expect(object["type"] as? String == type.rawValue)
            #expect(object["version"] as? Int == 2)
        }
    }
}
