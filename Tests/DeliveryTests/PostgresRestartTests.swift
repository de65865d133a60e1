import Foundation
import SluiceTesting
import Testing

/// Three nodes on one PostgreSQL behind HAProxy, the official Segment SDK sending all the time; PostgreSQL is
/// stopped (`pg_ctl stop -m fast`) mid-run and started again. Acknowledgements go on during the outage, batches
/// keep being staged, `/healthz` and `/metrics` say the catalog is unreachable and then ok again, and in the end
/// every acknowledged messageId is in the destination exactly once.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PostgresRestartTests {
    @Test func ingestGoesOnThroughAPostgresRestartAndEveryAcknowledgedEventLandsOnce() async throws {
        let rig = try await ClusterRig.start(nodes: 3)
        defer { rig.stop() }
        let proxy = try #require(rig.proxy)
        let sender = try StreamingSender(sdk: "segment", host: proxy.url, writeKey: rig.writeKey, prefix: "pg")
        try await sender.waitForAcknowledgements(100)

        try rig.postgres.stopFast()
        // Each node notices by itself (its heartbeat fails), within a few seconds.
        for node in rig.nodes {
            try await Poll.until("node on \(node.port) to report the catalog unreachable", timeout: .seconds(30)) {
                await rig.health(node).map { $0 == ("degraded", "unreachable") } ?? false
            }
        }
        #expect(try await rig.metric("sluice_catalog_up", on: rig.nodes[0]) == 0)
        #expect((try await rig.metric("sluice_catalog_errors_total", on: rig.nodes[0]) ?? 0) >= 1)
        #expect((try await HTTP.request("GET", rig.nodes[1].url + "/health")).status == 200, "still serving")
        // Acknowledgements go on while PostgreSQL is down, and batches keep closing and being staged.
        let stagedBefore = try await rig.stagedKeys().count
        try await sender.waitForAcknowledgements(200)
        try await Poll.until("a batch staged during the outage", timeout: .seconds(30)) {
            try await rig.stagedKeys().count > stagedBefore
        }
        // A key no node has seen cannot be checked: 503 with Retry-After, not 401.
        let unknown = try await HTTP.post(
            rig.nodes[2].url + "/v1/track", json: #"{"event":"e","userId":"u"}"#,
            headers: [HTTP.basic("never-seen-key-0001")])
        #expect(unknown.status == 503 && unknown.header("Retry-After") != nil, "\(unknown.status) \(unknown.text)")
        #expect(rig.postgres.isStopped)

        try await rig.postgres.restart()
        for node in rig.nodes {
            try await Poll.until("node on \(node.port) to report the catalog ok", timeout: .seconds(30)) {
                await rig.health(node).map { $0 == ("ok", "ok") } ?? false
            }
        }
        #expect(try await rig.metric("sluice_catalog_up", on: rig.nodes[0]) == 1)
        try await sender.waitForAcknowledgements(100)
        // A source created through one node after the restart authenticates on another within 10 s.
        let created = try rig.nodes[0].cli(["sources", "create", "after", "--write-key", "after-restart-key-01"])
        #expect(created.status == 0, "\(created.output)")
        try await Poll.until("node n2 accepts the new key", timeout: .seconds(10)) {
            try await HTTP.post(
                rig.nodes[2].url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"after-1"}"#,
                headers: [HTTP.basic("after-restart-key-01")]
            ).status == 200
        }

        let result = try sender.stop()
        #expect(result.failed.isEmpty, "a PostgreSQL restart cost no acknowledgement: \(result.failed.prefix(5))")
        for node in rig.nodes { try node.flush() }
        try rig.addDestinationAndCopy()
        try await rig.expectEveryAcknowledgedMessageDeliveredOnce(result.acked)
    }

    /// A PostgreSQL that stops answering without closing connections (frozen, as a hung server or a lost network
    /// looks): requests still get answers, never a hang. A seen key is accepted, an unseen one gets 503 +
    /// Retry-After once the statement timeout gives up, health says degraded; after the freeze ends, ok again.
    @Test func aFrozenPostgresHoldsNoRequestForever() async throws {
        let rig = try await ClusterRig.start(nodes: 1)
        defer { rig.stop() }
        let node = rig.nodes[0]
        try rig.postgres.pause()
        defer { try? rig.postgres.resume() }  // before the rig stops, should the test fail while frozen
        do {
            let events = (0..<3).map { #"{"event":"e","userId":"u","messageId":"frozen-\#($0)"}"# }
            for event in events {
                let reply = try await HTTP.post(
                    node.url + "/v1/track", json: event, headers: [HTTP.basic(rig.writeKey)])
                #expect(reply.status == 200, "\(reply.text)")
            }
            let unknown = try await HTTP.post(
                node.url + "/v1/track", json: #"{"event":"e","userId":"u"}"#,
                headers: [HTTP.basic("never-seen-key-0002")])
            #expect(unknown.status == 503 && unknown.header("Retry-After") == "2", "\(unknown.text)")
            #expect(unknown.json?["code"] as? String == "catalog_unavailable")
            try await Poll.until("the node to report the catalog unreachable", timeout: .seconds(40)) {
                await rig.health(node).map { $0 == ("degraded", "unreachable") } ?? false
            }
        }
        try rig.postgres.resume()
        try await Poll.until("the node to report the catalog ok", timeout: .seconds(40)) {
            await rig.health(node).map { $0 == ("ok", "ok") } ?? false
        }
    }
}
