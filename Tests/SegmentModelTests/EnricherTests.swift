import Testing

@testable import SegmentModel

@Suite struct EnricherTests {
    @Test func minimalHTTPCallMatchesSegmentsShape() throws {
        let line = try Fixture.line(
            #"{"userId":"1","traits":{"b":2,"a":1}}"#, .identify, context: Fixture.context(peerIP: nil))
        #expect(
            line
                == #"{"channel":"server","context":{"library":{"name":"unknown","version":"unknown"}},"#
                + #""integrations":{},"messageId":"api-generated","projectId":"src_123","#
                + #""receivedAt":"2023-11-14T22:13:20.123Z","timestamp":"2023-11-14T22:13:20.123Z","#
                + #""traits":{"b":2,"a":1},"type":"identify","userId":"1","version":2}"#)
    }

    @Test func topLevelKeysAreSortedBytewise() throws {
        let body =
            #"{"zeta":1,"Zeta":2,"_metadata":{},"timeStamp":"x","event":"E","anonymousId":"a","écrit":3,"#
            + #""properties":{},"userId":"u","writeKey":"wk"}"#
        let keys = try Fixture.topLevelKeys(try Fixture.line(body))
        #expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(keys.contains("timeStamp") && keys.contains("timestamp") && keys.contains("writeKey"))
        #expect(keys.first == "Zeta")
        #expect(keys.last == "écrit")
    }

    @Test func clientValuesAreCopiedByteForByte() throws {
        let properties = #"{"a":1.50,"b":"\u00e9","c":[1e3, -0.0 ,{"z":null,"y":true}],"d":"\ud83d\ude00"}"#
        let line = try Fixture.line(#"{"userId":"u","event":"E","properties":\#(properties),"userId":"u"}"#)
        #expect(try Fixture.rawValue(line, "properties") == properties)
        #expect(line.contains(properties))
        _ = try Fixture.object(line)
    }

    @Test func duplicateKeysKeepTheLastAndNeverRepeat() throws {
        let line = try Fixture.line(
            #"{"userId":"first","event":"A","userId":"second","event":"B","\u0065vent":"C","x":1,"x":2}"#)
        let keys = try Fixture.topLevelKeys(line)
        #expect(Set(keys).count == keys.count)
        #expect(try Fixture.rawValue(line, "userId") == "\"second\"")
        #expect(line.contains(#""\u0065vent":"C""#) && !line.contains(#""event":"B""#))
        #expect(try Fixture.rawValue(line, "x") == "2")
    }

    @Test func serverSetFieldsReplaceClientValues() throws {
        let body =
            #"{"userId":"u","event":"E","projectId":"evil","version":"1.1","receivedAt":"x","type":"page","#
            + #""channel":"client","messageId":"m-1"}"#
        let line = try Fixture.line(body)
        #expect(try Fixture.rawValue(line, "projectId") == "\"src_123\"")
        #expect(try Fixture.rawValue(line, "version") == "2")
        #expect(try Fixture.rawValue(line, "type") == "\"track\"")
        #expect(try Fixture.rawValue(line, "channel") == "\"client\"")
        #expect(try Fixture.rawValue(line, "messageId") == "\"m-1\"")
    }

    @Test func emptyMessageIDIsReplaced() throws {
        let line = try Fixture.line(#"{"userId":"u","event":"E","messageId":""}"#)
        #expect(try Fixture.rawValue(line, "messageId") == "\"api-generated\"")
    }

    @Test func contextDefaultsAndClientPrecedence() throws {
        let line = try Fixture.line(
            #"{"userId":"u","event":"E","context":{"userAgent":"UA","library":{"name":"analytics.js"},"ip":"10.0.0.1"}}"#
        )
        #expect(
            try Fixture.rawValue(line, "context")
                == #"{"ip":"10.0.0.1","library":{"name":"analytics.js"},"userAgent":"UA"}"#)
        let withPeer = try Fixture.line(#"{"userId":"u","event":"E","context":{"direct":true}}"#)
        #expect(
            try Fixture.rawValue(withPeer, "context")
                == #"{"direct":true,"ip":"198.51.100.7","library":{"name":"unknown","version":"unknown"}}"#)
    }

    @Test func batchContextMergesUnderTheItemsOwn() throws {
        let body =
            #"{"batch":[{"type":"identify","userId":"u","context":{"ip":"1.1.1.1","locale":"fr","app":{"v":1}},"#
            + #""integrations":{"Amplitude":false,"All":true}},{"type":"identify","userId":"v"}],"#
            + #""context":{"library":{"name":"analytics-go","version":"3.0.0"},"locale":"en","app":{"v":0}},"#
            + #""integrations":{"All":false,"Mixpanel":true}}"#
        let lines = try Fixture.enrich(body, .batch)
        #expect(
            try Fixture.rawValue(lines[0], "context")
                == #"{"app":{"v":1},"ip":"1.1.1.1","library":{"name":"analytics-go","version":"3.0.0"},"locale":"fr"}"#)
        #expect(try Fixture.rawValue(lines[0], "integrations") == #"{"All":true,"Amplitude":false,"Mixpanel":true}"#)
        #expect(
            try Fixture.rawValue(lines[1], "context")
                == #"{"app":{"v":0},"ip":"198.51.100.7","library":{"name":"analytics-go","version":"3.0.0"},"locale":"en"}"#
        )
        #expect(try Fixture.rawValue(lines[1], "integrations") == #"{"All":false,"Mixpanel":true}"#)
        for line in lines { _ = try Fixture.object(line) }
    }

    @Test func integrationsThatAreNotObjectsAreKeptVerbatim() throws {
        let body =
            #"{"batch":[{"type":"identify","userId":"u","integrations":"weird"},"#
            + #"{"type":"identify","userId":"u","integrations":null}],"integrations":{"All":true}}"#
        let lines = try Fixture.enrich(body, .batch)
        #expect(try Fixture.rawValue(lines[0], "integrations") == "\"weird\"")
        #expect(try Fixture.rawValue(lines[1], "integrations") == #"{"All":true}"#)
    }

    @Test func pythonBatchLinesAreValidAndComplete() throws {
        let lines = try Fixture.enrich(DecoderEnvelopeTests.pythonBody, .batch)
        #expect(lines.count == 2)
        for line in lines {
            let object = try Fixture.object(line)
            for key in [
                "channel", "context", "integrations", "messageId", "originalTimestamp", "projectId",
                "receivedAt", "sentAt", "timestamp", "type", "version", "userId",
            ] {
                #expect(object[key] != nil, "\(key) in \(line)")
            }
            #expect(object["writeKey"] == nil)
        }
        #expect(try Fixture.rawValue(lines[1], "anonymousId") == "null")
    }

    @Test func lineAppendsWithoutNewlineAndEnricherIsReusable() throws {
        let request = try Fixture.decode(
            #"{"batch":[{"type":"identify","userId":"a"},{"type":"identify","userId":"b"}]}"#, .batch)
        var enricher = Enricher()
        var buffer = Array("prefix\n".utf8)
        for event in request.events {
            enricher.appendLine(for: event, of: request, context: Fixture.context(), into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3 && lines[0] == "prefix")
        #expect(try Fixture.rawValue(String(lines[2]), "userId") == "\"b\"")
    }

    @Test func generatedValuesAreEscaped() throws {
        let context = EnrichmentContext(
            sourceID: "a\"b", receivedAtMilliseconds: 0, peerIP: "::1\\",
            messageIDGenerator: MessageIDGenerator { _ in "id\n" })
        let line = try Fixture.line(#"{"userId":"u","event":"E"}"#, context: context)
        let object = try Fixture.object(line)
        #expect(object["projectId"] as? String == "a\"b")
        #expect(object["messageId"] as? String == "id\n")
    }
}
