import Testing

@testable import SegmentModel

/// The enricher writes from member positions the decoder recorded: rejected items, repeated and escaped keys and
/// whitespace must not shift or mix them up.
@Suite struct EnricherSpanTests {
    /// An event enriched inside a batch with rejected neighbours equals the same event enriched alone.
    @Test func rejectedItemsDoNotShiftTheRecordedMembers() throws {
        let good = [
            #"{"type":"track","userId":"a","event":"A","context":{"z":1,"a":{"b":[1,2]}},"properties":{"k":"v"}}"#,
            #"{ "context" : { "ip" : "9.9.9.9" } , "type" : "identify" , "userId" : "b" , "traits" : { } }"#,
            #"{"type":"group","groupId":"g","anonymousId":"c","context":{"locale":"de"},"context":{"app":1}}"#,
        ]
        let bad = [
            #"{"type":"track","userId":"x","context":{"q":1,"r":2,"s":3}}"#,  // no event: rejected
            #"{"type":"nope","context":{"t":1},"userId":"y"}"#,  // unknown type: rejected
        ]
        let envelope = #","context":{"library":{"name":"py"},"locale":"en"},"sentAt":"2024-01-01T00:00:00Z"}"#
        let mixed =
            "{\"batch\":[" + [bad[0], good[0], bad[1], good[1], bad[0], good[2]].joined(separator: ",") + "]"
            + envelope
        let request = try Fixture.decode(mixed, .batch)
        #expect(request.events.count == 3 && request.rejected.count == 3)
        let lines = try Fixture.enrich(mixed, .batch)
        for (index, event) in good.enumerated() {
            let alone = try Fixture.enrich("{\"batch\":[" + event + "]" + envelope, .batch)
            #expect(lines[index] == alone.first, "event \(index)")
        }
        #expect(try Fixture.rawValue(lines[1], "context")?.contains(#""ip":"9.9.9.9""#) == true)
        // The last "context" wins, with the batch's members underneath.
        #expect(
            try Fixture.rawValue(lines[2], "context")
                == #"{"app":1,"ip":"198.51.100.7","library":{"name":"py"},"locale":"en"}"#)
    }

    @Test func aLaterNonObjectContextReplacesAnEarlierObject() throws {
        let replaced = try Fixture.line(#"{"userId":"u","event":"E","context":{"a":1},"context":null}"#)
        #expect(
            try Fixture.rawValue(replaced, "context")
                == #"{"ip":"198.51.100.7","library":{"name":"unknown","version":"unknown"}}"#)
        let restored = try Fixture.line(#"{"userId":"u","event":"E","context":null,"context":{"a":1}}"#)
        #expect(
            try Fixture.rawValue(restored, "context")
                == #"{"a":1,"ip":"198.51.100.7","library":{"name":"unknown","version":"unknown"}}"#)
    }

    @Test func escapedKeysAreRecognisedAndSortedByTheirDecodedNames() throws {
        let line = try Fixture.line(
            #"{"userId":"u","event":"E","cont\u0065xt":{"\u0061b":1,"aa":2,"libr\u0061ry":{"n":1}},"\u007a":0,"y":1}"#)
        // "cont\u0065xt" is context: merged, with the escaped "library" suppressing the default.
        #expect(
            try Fixture.rawValue(line, "context") == #"{"aa":2,"\u0061b":1,"ip":"198.51.100.7","libr\u0061ry":{"n":1}}"#
        )
        let keys = try Fixture.topLevelKeys(line)
        #expect(Array(keys.suffix(2)) == ["y", "z"])
        #expect(keys.filter { $0 == "context" }.count == 1)
    }

    @Test func batchContextRepeatedOrNotAnObject() throws {
        let event = #"{"type":"identify","userId":"u"}"#
        let repeated = try Fixture.enrich(
            #"{"context":{"old":1},"batch":["# + event + #"],"context":{"new":2}}"#, .batch)
        #expect(
            try Fixture.rawValue(repeated[0], "context")
                == #"{"ip":"198.51.100.7","library":{"name":"unknown","version":"unknown"},"new":2}"#)
        let dropped = try Fixture.enrich(#"{"context":{"old":1},"batch":["# + event + #"],"context":7}"#, .batch)
        #expect(
            try Fixture.rawValue(dropped[0], "context")
                == #"{"ip":"198.51.100.7","library":{"name":"unknown","version":"unknown"}}"#)
    }

    /// Keys sharing their first eight bytes are ordered past the prefix, and exact duplicates keep the last.
    @Test func keysWithLongCommonPrefixes() throws {
        let line = try Fixture.line(
            #"{"userId":"u","event":"E","propertiesB":2,"properties":0,"propertiesA":1,"propertiesB":3,"#
                + #""propertie":9,"integrationsX":1}"#)
        let keys = try Fixture.topLevelKeys(line)
        #expect(
            keys == [
                "channel", "context", "event", "integrations", "integrationsX", "messageId", "projectId",
                "propertie", "properties", "propertiesA", "propertiesB", "receivedAt", "timestamp", "type", "userId",
                "version",
            ])
        #expect(try Fixture.rawValue(line, "propertiesB") == "3")
    }
}
