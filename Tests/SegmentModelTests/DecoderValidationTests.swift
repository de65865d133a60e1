import Testing

@testable import SegmentModel

@Suite struct DecoderValidationTests {
    @Test(
        arguments: [
            (#"{"type":"track","userId":"u","event":"E"}"#, nil),
            (#"{"type":"track","anonymousId":"a","event":"E"}"#, nil),
            (#"{"type":"track","userId":42,"event":"E"}"#, nil),
            (#"{"type":"track","userId":"u","anonymousId":null,"event":"E"}"#, nil),
            (#"{"type":"identify","userId":"u"}"#, nil),
            (#"{"type":"page","anonymousId":"a"}"#, nil),
            (#"{"type":"screen","userId":"u"}"#, nil),
            (#"{"type":"group","userId":"u","groupId":"g"}"#, nil),
            (#"{"type":"group","userId":"u","groupId":7}"#, nil),
            (#"{"type":"alias","userId":"u","previousId":"p"}"#, nil),
            (#"{"type":"\u0074rack","userId":"u","event":"E"}"#, nil),
            (#"{"type":"track","userId":"u","event":"E","messageId":""}"#, nil),
            (#"{"userId":"u"}"#, SegmentError.Code.invalidType),
            (#"{"type":"Track","userId":"u","event":"E"}"#, .invalidType),
            (#"{"type":null,"userId":"u"}"#, .invalidType),
            (#"{"type":"track","event":"E"}"#, .missingIdentity),
            (#"{"type":"track","userId":"","event":"E"}"#, .missingIdentity),
            (#"{"type":"track","userId":null,"anonymousId":null,"event":"E"}"#, .missingIdentity),
            (#"{"type":"track","userId":true,"event":"E"}"#, .missingIdentity),
            (#"{"type":"track","userId":{},"event":"E"}"#, .missingIdentity),
            (#"{"type":"track","userId":"u"}"#, .missingEvent),
            (#"{"type":"track","userId":"u","event":""}"#, .missingEvent),
            (#"{"type":"track","userId":"u","event":5}"#, .missingEvent),
            (#"{"type":"group","userId":"u"}"#, .missingGroupId),
            (#"{"type":"group","userId":"u","groupId":""}"#, .missingGroupId),
            (#"{"type":"alias","userId":"u"}"#, .missingPreviousId),
            (#"{"type":"alias","anonymousId":"a","previousId":"p"}"#, .missingUserId),
            (#"{"type":"identify","userId":"u","messageId":5}"#, .invalidMessageID),
            (#"{"type":"identify","userId":"u","messageId":null}"#, .invalidMessageID),
            (#"{"type":"identify","userId":"x","userId":""}"#, .missingIdentity),
        ] as [(String, SegmentError.Code?)])
    func batchItemValidation(item: String, expected: SegmentError.Code?) throws {
        let request = try Fixture.decode(#"{"batch":[\#(item)]}"#, .batch)
        if let expected {
            #expect(request.events.isEmpty)
            let rejected = try #require(request.rejected.first)
            #expect(rejected.code == expected)
            #expect(rejected.index == 0)
            #expect(String(decoding: rejected.bytes, as: UTF8.self) == item)
        } else {
            #expect(request.rejected.map(\.message) == [])
            #expect(request.events.count == 1)
        }
    }

    @Test func messagesNameTheFieldToFix() throws {
        let request = try Fixture.decode(
            #"{"batch":[{"type":"track","userId":"u"},{"type":"track","event":"E"},{"type":"group","userId":"u"}]}"#,
            .batch)
        let messages = request.rejected.map(\.message)
        #expect(messages[0].contains("\"event\""))
        #expect(messages[1].contains("userId or anonymousId"))
        #expect(messages[2].contains("\"groupId\""))
    }

    @Test func singleCallTypeComesFromTheEndpoint() throws {
        let request = try Fixture.decode(#"{"type":"identify","userId":"u","event":"Clicked"}"#, .single(.track))
        #expect(request.events.map(\.type) == [.track])
        let line = try Fixture.line(#"{"type":"identify","userId":"u","event":"Clicked"}"#, .track)
        #expect(try Fixture.rawValue(line, "type") == "\"track\"")
    }

    @Test(arguments: [
        (#"{"event":"E"}"#, CallType.track, SegmentError.Code.missingIdentity),
        (#"{"userId":"u"}"#, .track, .missingEvent),
        (#"{"userId":"u"}"#, .group, .missingGroupId),
        (#"{"userId":"u"}"#, .alias, .missingPreviousId),
    ])
    func invalidSingleCallsThrow(body: String, type: CallType, code: SegmentError.Code) {
        let error = #expect(throws: SegmentError.self) { try Fixture.decode(body, .single(type)) }
        #expect(error?.code == code)
        #expect(error?.code.httpStatus == 400)
    }

    @Test(arguments: [
        ("", Endpoint.batch), ("not json", .batch), ("[]", .batch), ("\"batch\"", .batch), ("{\"batch\":[}", .batch),
        ("{\"batch\":[]} trailing", .batch), ("", .single(.track)), ("[{\"userId\":\"u\"}]", .single(.identify)),
        ("{\"userId\":\"u\",}", .single(.identify)), ("{\"batch\":[{\"type\":\"track\",\"x\":\"\u{01}\"}]}", .batch),
    ])
    func invalidJSONThrows(body: String, endpoint: Endpoint) {
        let error = #expect(throws: SegmentError.self) { try Fixture.decode(body, endpoint) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.hasPrefix("request body is not valid JSON: ") == true)
    }

    @Test(arguments: [
        (#"{}"#, SegmentError.Code.invalidBatch), (#"{"batch":{}}"#, .invalidBatch),
        (#"{"batch":null}"#, .invalidBatch),
        (#"{"batch":[]}"#, .emptyBatch), (#"{"batch":[1],"batch":[]}"#, .emptyBatch),
    ])
    func batchShapeErrors(body: String, code: SegmentError.Code) {
        let error = #expect(throws: SegmentError.self) { try Fixture.decode(body, .batch) }
        #expect(error?.code == code)
    }

    @Test func nonObjectItemsAreRejectedIndividually() throws {
        let request = try Fixture.decode(
            #"{"batch":[1,{"type":"identify","userId":"u"},"x",null,[{}]]}"#, .batch)
        #expect(request.events.map(\.index) == [1])
        #expect(request.rejected.map(\.index) == [0, 2, 3, 4])
        #expect(request.rejected.allSatisfy { $0.code == .invalidEvent })
        #expect(request.rejected.map { String(decoding: $0.bytes, as: UTF8.self) } == ["1", "\"x\"", "null", "[{}]"])
    }

    @Test func codesSerializeAsSnakeCaseAndMapToHTTP() {
        #expect(SegmentError.Code.invalidJSON.rawValue == "invalid_json")
        #expect(SegmentError.Code.payloadTooLarge.rawValue == "payload_too_large")
        #expect(SegmentError.Code.tooManyEvents.rawValue == "too_many_events")
        #expect(SegmentError.Code.missingIdentity.rawValue == "missing_identity")
        #expect(SegmentError.Code.missingGroupId.rawValue == "missing_group_id")
        #expect(SegmentError.Code.payloadTooLarge.httpStatus == 413)
        #expect(SegmentError.Code.eventTooLarge.httpStatus == 413)
        #expect(SegmentError.Code.invalidJSON.httpStatus == 400)
        #expect(SegmentError.Code.missingEvent.httpStatus == 400)
    }
}
