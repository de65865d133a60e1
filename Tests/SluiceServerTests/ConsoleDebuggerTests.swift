import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceServer

/// The live debugger's tap (server-side filters, bounded buffers, skipped counts) and the quarantine tab's route.
@Suite struct ConsoleDebuggerTests {
    static func line(_ type: String, user: String, id: String) -> String {
        #"{"type":"\#(type)","event":"E-\#(user)","userId":"\#(user)","messageId":"\#(id)"}"#
    }

    @Test func acceptedEventsReachASubscriberFilteredOnTheServer() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let source = try await harness.catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            #expect(!harness.tap.hasSubscribers)
            let all = harness.tap.subscribe(sourceID: source.id, filter: DebuggerFilter())
            let bob = harness.tap.subscribe(sourceID: source.id, filter: DebuggerFilter(type: "track", userId: "bob"))
            let other = harness.tap.subscribe(sourceID: "someOtherSource", filter: DebuggerFilter())
            #expect(harness.tap.hasSubscribers)
            let batch =
                #"{"batch":[{"type":"track","userId":"alice","event":"A","messageId":"m-1"},"#
                + #"{"type":"identify","userId":"bob","messageId":"m-2"},"#
                + #"{"type":"track","userId":"bob","event":"<script>alert(1)</script>","messageId":"m-3"}]}"#
            try await client.execute(
                uri: "/v1/batch", method: .post, headers: [.authorization: HTTP.basic(source.writeKey).1],
                body: ByteBuffer(string: batch)
            ) { #expect($0.status == .ok) }
            var seen: [[String: Any]] = []
            for await item in all.events {
                guard case .event(let line) = item else { continue }
                seen.append(try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]))
                if seen.count == 3 { break }
            }
            #expect(seen.map { $0["messageId"] as? String } == ["m-1", "m-2", "m-3"])
            #expect(seen.allSatisfy { $0["receivedAt"] != nil }, "the enriched event")
            var iterator = bob.events.makeAsyncIterator()
            guard case .event(let first) = await iterator.next() else { Issue.record("no event"); return }
            #expect(String(decoding: first, as: UTF8.self).contains(#""messageId":"m-3""#))
            bob.finish()
            #expect(await iterator.next() == nil, "only the matching event was delivered")
            other.finish()
            var otherEvents = 0
            for await _ in other.events { otherEvents += 1 }
            #expect(otherEvents == 0)
            all.finish()
            #expect(!harness.tap.hasSubscribers)
        }
    }

    @Test func aSlowSubscriberKeepsTheNewestAndCountsWhatItSkipped() async throws {
        let tap = EventTap()
        let slow = tap.subscribe(sourceID: "s", filter: DebuggerFilter(), capacity: 2)
        let lines = (1...5).map { Self.line("track", user: "u", id: "m-\($0)") }.joined(separator: "\n")
        tap.publish(sourceID: "s", lines: Array(lines.utf8))
        #expect(slow.takeSkipped() == 3)
        #expect(slow.takeSkipped() == 0)
        slow.finish()
        var kept: [String] = []
        for await item in slow.events {
            if case .event(let line) = item { kept.append(String(decoding: line, as: UTF8.self)) }
        }
        #expect(kept == [Self.line("track", user: "u", id: "m-4"), Self.line("track", user: "u", id: "m-5")])
    }

    @Test func filtersMatchEachGivenFieldExactly() {
        let fields = EventFields(line: Array(Self.line("track", user: "bob", id: "m-9").utf8))
        #expect(fields == EventFields(type: "track", event: "E-bob", userId: "bob", messageId: "m-9"))
        #expect(DebuggerFilter().matches(fields))
        #expect(DebuggerFilter(type: "track", event: "E-bob", userId: "bob", messageId: "m-9").matches(fields))
        #expect(DebuggerFilter(type: "", userId: "bob").matches(fields), "an empty field is no filter")
        #expect(!DebuggerFilter(type: "identify").matches(fields))
        #expect(!DebuggerFilter(userId: "bo").matches(fields))
        #expect(!DebuggerFilter(messageId: "m-1").matches(EventFields(line: Array("not json".utf8))))
    }

    @Test func theQuarantineRouteListsRejectedEventsWithTheirReasons() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            let source = try await harness.catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            let batch = #"{"batch":[{"type":"track","userId":"u","event":"ok"},{"type":"track","userId":"u"}]}"#
            try await client.execute(
                uri: "/v1/batch", method: .post, headers: [.authorization: HTTP.basic(source.writeKey).1],
                body: ByteBuffer(string: batch)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/console/api/sources/\(source.id)/quarantine", method: .get, headers: login.headers()
            ) { reply in
                #expect(reply.status == .ok)
                let rows = try #require(reply.json as? [[String: Any]])
                #expect(rows.count == 1)
                #expect(rows.first?["code"] as? String == "missing_event")
                #expect((rows.first?["message"] as? String)?.isEmpty == false)
                #expect((rows.first?["raw"] as? String)?.contains(#""userId":"u""#) == true)
            }
            for path in ["quarantine", "events"] {
                try await client.execute(
                    uri: "/console/api/sources/no-such/\(path)", method: .get, headers: login.headers()
                ) { #expect($0.status == .notFound, "\(path)") }
            }
        }
    }
}

/// Keeps what the SSE writer writes.
final class Collected: Sendable {
    let buffers = Mutex<[ByteBuffer]>([])
    var text: String { buffers.withLock { $0.map { String(buffer: $0) }.joined() } }
}

struct CollectingWriter: ResponseBodyWriter {
    let collected: Collected

    mutating func write(_ buffer: ByteBuffer) async throws { collected.buffers.withLock { $0.append(buffer) } }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

@Suite struct ConsoleStreamTests {
    /// The SSE framing: one `data:` per event, and the number dropped for a slow reader as `event: skipped` before
    /// the next event it gets.
    @Test func theStreamTellsHowManyEventsItSkipped() async throws {
        let tap = EventTap()
        let subscription = tap.subscribe(sourceID: "s", filter: DebuggerFilter(), capacity: 2)
        let lines = (1...5).map { ConsoleDebuggerTests.line("track", user: "u", id: "m-\($0)") }
        tap.publish(sourceID: "s", lines: Array(lines.joined(separator: "\n").utf8))
        subscription.finish()
        let collected = Collected()
        var writer: any ResponseBodyWriter = CollectingWriter(collected: collected)
        try await ConsoleAPI.stream(subscription, to: &writer)
        #expect(
            collected.text
                == "retry: 2000\n: connected\n\nevent: skipped\ndata: 3\n\ndata: \(lines[3])\n\ndata: \(lines[4])\n\n")
        #expect(!tap.hasSubscribers)
    }
}
