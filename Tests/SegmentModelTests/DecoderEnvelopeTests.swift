import Testing

@testable import SegmentModel

@Suite struct DecoderEnvelopeTests {
    /// Shaped like analytics-python 2.x's batch body.
    static let pythonBody = """
        {"batch": [{"integrations": {"All": true}, "anonymousId": "anon-1", "properties": {"revenue": 12.5, \
        "currency": "USD"}, "timestamp": "2024-01-02T03:04:05.000+00:00", "context": {"ip": "203.0.113.9", \
        "library": {"name": "analytics-python", "version": "2.4.0"}}, "userId": "user-1", "type": "track", \
        "event": "Order Completed", "messageId": "fixed-message-id-1"}, {"integrations": {}, "anonymousId": null, \
        "timestamp": "2026-11-24T18:44:05.511+00:00", "context": {"library": {"name": "analytics-python", \
        "version": "2.4.0"}}, "type": "identify", "userId": "user-1", "traits": {"email": "a@example.com"}, \
        "messageId": "1eebaceb-7241-4619-b5d6-8fb9b70cfeed"}], "sentAt": "2026-11-24T18:44:05.711727+00:00", \
        "writeKey": "SEGMENT_WRITE_KEY_abc123"}
        """

    @Test func pythonBatchEnvelope() throws {
        let request = try Fixture.decode(Self.pythonBody, .batch)
        #expect(request.bodyWriteKey == "SEGMENT_WRITE_KEY_abc123")
        #expect(
            request.envelope.sentAt.map { String(decoding: $0, as: UTF8.self) }
                == "\"2026-11-24T18:44:05.711727+00:00\"")
        #expect(request.envelope.context == nil)
        #expect(request.events.map(\.type) == [.track, .identify])
        #expect(request.events.map(\.messageID) == ["fixed-message-id-1", "1eebaceb-7241-4619-b5d6-8fb9b70cfeed"])
        #expect(request.rejected.isEmpty)
    }

    @Test func envelopeContextAndIntegrationsMustBeObjects() throws {
        let body =
            #"{"batch":[{"type":"identify","userId":"u"}],"context":{"library":{"name":"go"}},"integrations":true,"writeKey":5}"#
        let request = try Fixture.decode(body, .batch)
        #expect(request.envelope.context.map { String(decoding: $0, as: UTF8.self) } == #"{"library":{"name":"go"}}"#)
        #expect(request.envelope.integrations == nil)
        #expect(request.bodyWriteKey == nil)
    }

    @Test func singleCallWriteKeyComesFromTheEvent() throws {
        let request = try Fixture.decode(#"{"userId":"u","writeKey":"wk_\u0031"}"#, .single(.identify))
        #expect(request.bodyWriteKey == "wk_1")
        #expect(request.envelope.sentAt == nil)
    }

    @Test func eventBytesAreSlicesOfTheBody() throws {
        let item = #"{ "type" : "identify" , "userId" : "u" , "traits" : { "a" : 1.50 } }"#
        let request = try Fixture.decode(#"{"batch":[ \#(item) ]}"#, .batch)
        #expect(String(decoding: try #require(request.events.first).bytes, as: UTF8.self) == item)
    }
}
