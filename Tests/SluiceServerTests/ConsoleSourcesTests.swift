import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceTesting
import Testing

@testable import SluiceServer

/// The sources page's JSON routes: list without secrets, create with the key shown once, add and rotate keys.
@Suite struct ConsoleSourcesTests {
    @Test func createShowsTheKeyOnceAndTheListNeverHoldsIt() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            let created = try await client.execute(
                uri: "/console/api/sources", method: .post, headers: login.headers(),
                body: ByteBuffer(string: #"{"name":"web"}"#)
            ) { reply in
                #expect(reply.status == .created)
                return reply.json as? [String: Any]
            }
            let key = try #require(created?["writeKey"] as? String)
            let id = try #require(created?["sourceId"] as? String)
            #expect(try await harness.catalog.source(writeKey: key)?.id == id)
            try await client.execute(uri: "/console/api/sources", method: .get, headers: login.headers()) { reply in
                #expect(reply.status == .ok)
                #expect(!String(buffer: reply.body).contains(key))
                let rows = try #require(reply.json as? [[String: Any]])
                let row = try #require(rows.first { $0["id"] as? String == id })
                #expect(row["name"] as? String == "web" && row["keyCount"] as? Int == 1)
                #expect(row["createdAt"] as? Int != nil)
            }
            // A duplicate name and a bad name are plain errors.
            for (body, status) in [
                (#"{"name":"web"}"#, HTTPResponse.Status.conflict), (#"{"name":"../x"}"#, .badRequest),
            ] {
                try await client.execute(
                    uri: "/console/api/sources", method: .post, headers: login.headers(), body: ByteBuffer(string: body)
                ) { reply in
                    #expect(reply.status == status, "\(body)")
                    #expect((reply.json as? [String: Any])?["message"] as? String != nil)
                }
            }
        }
    }

    @Test func rotatingAddsAKeyAndRevokesTheOthersAtOnce() async throws {
        try await ConsoleHarness.withHarness { harness, client in
            let login = try await ConsoleLogin.signIn(client)
            let source = try await harness.catalog.createSource(name: "app", writeKey: nil, nowMilliseconds: 0)
            let added = try await client.execute(
                uri: "/console/api/sources/\(source.id)/keys", method: .post, headers: login.headers(),
                body: ByteBuffer(string: "{}")
            ) { $0.json as? [String: Any] }
            let second = try #require(added?["writeKey"] as? String)
            #expect(added?["revokedKeys"] as? Int == 0)
            #expect(try await harness.catalog.writeKeys(sourceID: source.id).filter(\.isActive).count == 2)

            let rotated = try await client.execute(
                uri: "/console/api/sources/\(source.id)/keys", method: .post, headers: login.headers(),
                body: ByteBuffer(string: #"{"rotate":true}"#)
            ) { $0.json as? [String: Any] }
            let third = try #require(rotated?["writeKey"] as? String)
            #expect(rotated?["revokedKeys"] as? Int == 2)
            #expect(try await harness.catalog.writeKeys(sourceID: source.id).filter(\.isActive).map(\.key) == [third])
            for (key, status) in [
                (source.writeKey, HTTPResponse.Status.unauthorized), (second, .unauthorized), (third, .ok),
            ] {
                try await client.execute(
                    uri: "/v1/track", method: .post, headers: [.authorization: HTTP.basic(key).1],
                    body: ByteBuffer(string: #"{"userId":"u","event":"e"}"#)
                ) { #expect($0.status == status) }
            }
            try await client.execute(
                uri: "/console/api/sources/nope/keys", method: .post, headers: login.headers(),
                body: ByteBuffer(string: "{}")
            ) { #expect($0.status == .notFound) }
        }
    }
}
