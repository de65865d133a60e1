import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceTesting
import Testing

@testable import SluiceServer

/// Renaming and deleting sources from the console, the per-source 24-hour counts, and the overview's numbers and
/// charts, with the auth and CSRF refusals.
@Suite struct ConsoleSourceChangesTests {
    @Test func renameKeepsTheKeyWorkingAndDeleteNeedsTheNameAndStopsTheKey() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            let source = try await harness.catalog.createSource(name: "app", writeKey: nil, nowMilliseconds: 0)
            _ = try await harness.catalog.createSource(name: "taken", writeKey: nil, nowMilliseconds: 0)
            let track = { @Sendable (key: String) async throws -> HTTPResponse.Status in
                try await client.execute(
                    uri: "/v1/track", method: .post, headers: [.authorization: HTTP.basic(key).1],
                    body: ByteBuffer(string: #"{"userId":"u","event":"e"}"#)
                ) { $0.status }
            }
            #expect(try await track(source.writeKey) == .ok)

            let base = "/console/api/sources/\(source.id)"
            for (body, status) in [
                (#"{"name":"taken"}"#, HTTPResponse.Status.conflict), (#"{"name":"a/b"}"#, .badRequest),
            ] {
                try await client.execute(
                    uri: base + "/rename", method: .post, headers: login.headers(), body: ByteBuffer(string: body)
                ) { reply in
                    #expect(reply.status == status, "\(body)")
                    #expect((reply.json as? [String: Any])?["message"] as? String != nil)
                }
            }
            try await client.execute(
                uri: base + "/rename", method: .post, headers: login.headers(csrf: false),
                body: ByteBuffer(string: #"{"name":"web"}"#)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: base + "/rename", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"web"}"#)
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: base + "/rename", method: .post, headers: login.headers(),
                body: ByteBuffer(string: #"{"name":"web"}"#)
            ) { reply in
                #expect(reply.status == .ok)
                #expect((reply.json as? [String: Any])?["name"] as? String == "web")
            }
            #expect(try await harness.catalog.source(idOrName: source.id)?.name == "web")
            #expect(try await track(source.writeKey) == .ok)

            // The list counts what this node accepted in the last 24 hours.
            try await client.execute(uri: "/console/api/sources", method: .get, headers: login.headers()) { reply in
                let rows = reply.json as? [[String: Any]] ?? []
                #expect(rows.first { $0["id"] as? String == source.id }?["eventsLast24h"] as? Int == 2)
            }

            for body in ["{}", #"{"confirm":"app"}"#] {
                try await client.execute(
                    uri: base + "/delete", method: .post, headers: login.headers(), body: ByteBuffer(string: body)
                ) { reply in
                    #expect(reply.status == .badRequest, "\(body)")
                    #expect((reply.json as? [String: Any])?["code"] as? String == "confirmation_required")
                }
            }
            try await client.execute(
                uri: base + "/delete", method: .post, headers: login.headers(csrf: false),
                body: ByteBuffer(string: #"{"confirm":"web"}"#)
            ) { #expect($0.status == .forbidden) }
            #expect(try await harness.catalog.source(idOrName: source.id) != nil)
            try await client.execute(
                uri: base + "/delete", method: .post, headers: login.headers(),
                body: ByteBuffer(string: #"{"confirm":"web"}"#)
            ) { #expect($0.status == .ok) }
            #expect(try await harness.catalog.source(idOrName: source.id) == nil)
            #expect(try await track(source.writeKey) == .unauthorized)
            try await client.execute(
                uri: base + "/delete", method: .post, headers: login.headers(),
                body: ByteBuffer(string: #"{"confirm":"web"}"#)
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test func overviewCountsAndChartsNeedASession() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            let source = try await harness.catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            try await client.execute(
                uri: "/v1/batch", method: .post, headers: [.authorization: HTTP.basic(source.writeKey).1],
                body: ByteBuffer(
                    string: #"{"batch":[{"type":"track","userId":"u","event":"a"},{"type":"track","userId":"u"}]}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/console/api/overview", method: .get, headers: login.headers()) { reply in
                #expect(reply.status == .ok)
                let overview = try #require(reply.json as? [String: Any])
                #expect(overview["eventsLast24h"] as? Int == 1)
                #expect(overview["rejectedLast24h"] as? Int == 1)
                let rows = overview["sources"] as? [[String: Any]] ?? []
                #expect(rows.first?["name"] as? String == "web" && rows.first?["events"] as? Int == 1)
            }
            for chart in ["events", "rejected", "deliveries"] {
                try await client.execute(
                    uri: "/console/charts/\(chart).svg", method: .get, headers: [.cookie: login.cookie]
                ) { reply in
                    #expect(reply.status == .ok)
                    #expect(reply.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                    let text = String(buffer: reply.body)
                    #expect(text.hasPrefix("<svg") && text.hasSuffix("</svg>"))
                    if chart == "events" { #expect(text.contains("web (1)")) }
                }
                try await client.execute(uri: "/console/charts/\(chart).svg", method: .get) { reply in
                    #expect(reply.status == .seeOther || reply.status == .found)
                    #expect(reply.headers[.location] == "/console/sign-in")
                }
            }
            try await client.execute(uri: "/console/api/overview", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/console/api/nodes", method: .get, headers: login.headers()) { reply in
                #expect(reply.status == .ok && String(buffer: reply.body) == "[]")
            }
            try await client.execute(uri: "/console/api/nodes", method: .get) { #expect($0.status == .unauthorized) }
            for page in ["overview", "archive", "nodes"] {
                try await client.execute(uri: "/console/\(page)", method: .get, headers: [.cookie: login.cookie]) {
                    reply in
                    #expect(reply.status == .ok)
                    #expect(String(buffer: reply.body).contains(#"data-page="\#(page)""#))
                }
            }
        }
    }
}
