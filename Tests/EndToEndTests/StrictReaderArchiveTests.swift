import Foundation
import SluiceTesting
import Testing

/// One odd event must never make a day's file unreadable: the archive written from lone surrogates, huge numbers
/// and repeated member names is read whole by DuckDB's `read_json` and Python.
@Suite(.serialized) final class StrictReaderArchiveTests {
    @Test func oddEventsLeaveEveryFileReadableByDuckDB() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let key = HTTP.basic(server.writeKey)
        let accepted = [
            #"{"userId":"u\ud800","event":"lone high","messageId":"strict-1"}"#,
            #"{"userId":"u","event":"lone low \udc00","messageId":"strict-2"}"#,
            #"{"userId":"u","event":"huge","messageId":"strict-3","properties":{"n":1e400,"m":-1e400}}"#,
            #"{"userId":"u","userId":"v","event":"top-level repeat","messageId":"strict-4"}"#,
            #"{"userId":"u","event":"pair","messageId":"strict-5","properties":{"emoji":"\ud83d\ude00"}}"#,
        ]
        for body in accepted {
            let reply = try await HTTP.post(server.url + "/v1/track", json: body, headers: [key])
            #expect(reply.status == 200, "\(body): \(reply.text)")
        }
        let refused = try await HTTP.post(
            server.url + "/v1/track",
            json: #"{"userId":"u","event":"nested repeat","messageId":"strict-6","properties":{"a":1,"a":2}}"#,
            headers: [key])
        #expect(refused.status == 400)
        #expect(refused.json?["code"] as? String == "duplicate_key")
        try server.flush()

        let archive = try ArchiveSnapshot.read(server.bucket)
        #expect(Set(archive.messageIDs) == Set((1...5).map { "strict-\($0)" }))
        #expect(archive.duckDBRows == 5)
        let byID = Dictionary(
            archive.events.compactMap { event in (event["messageId"] as? String).map { ($0, event) } },
            uniquingKeysWith: { first, _ in first })
        #expect(byID["strict-1"]?["userId"] as? String == "u\u{FFFD}")
        #expect(byID["strict-4"]?["userId"] as? String == "v")
        #expect((byID["strict-5"]?["properties"] as? [String: Any])?["emoji"] as? String == "\u{1F600}")
    }
}
