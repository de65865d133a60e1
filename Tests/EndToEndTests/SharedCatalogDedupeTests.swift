import Foundation
import SluiceTesting
import Testing

/// Cluster de-duplication: two nodes on one PostgreSQL catalog; a retry that reaches the other node is archived
/// once; with PostgreSQL gone, ingest goes on (local de-duplication only), logged and in `/metrics`.
@Suite(.serialized) struct SharedCatalogDedupeTests {
    static func send(_ server: SluiceServerProcess, _ ids: [String]) async throws -> Int {
        let items = ids.map { #"{"type":"track","event":"Cluster","userId":"u","messageId":"\#($0)"}"# }
        let reply = try await HTTP.post(
            server.url + "/v1/batch", json: #"{"batch":[\#(items.joined(separator: ","))]}"#,
            headers: [HTTP.basic(server.writeKey)])
        return reply.status
    }

    @Test func aRetryOnAnotherNodeIsArchivedOnce() async throws {
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        try postgres.createDatabase("sluice")
        let environment = [
            "SLUICE_CATALOG": postgres.url(database: "sluice", password: nil), "PGPASSWORD": PostgresServer.password,
        ]
        let a = try await SluiceServerProcess.start(arguments: ["--node-id", "a"], environment: environment)
        defer { a.stop() }
        let b = try await SluiceServerProcess.start(arguments: ["--node-id", "b"], environment: environment)
        defer { b.stop() }
        let first = (0..<100).map { "cluster-\($0)" }
        #expect(try await Self.send(a, first) == 200)
        // The retry of half of them, and new ones, through the other node; then again through the first.
        #expect(try await Self.send(b, Array(first[50...]) + ["b-only"]) == 200)
        #expect(try await Self.send(a, ["b-only", "cluster-7"]) == 200)
        try a.flush()
        try b.flush()
        var counts: [String: Int] = [:]
        for server in [a, b] {
            for id in try ArchiveSnapshot.read(server.bucket).messageIDs { counts[id, default: 0] += 1 }
        }
        for id in first + ["b-only"] { #expect(counts[id] == 1, "\(id): \(counts[id] ?? 0)") }
        #expect(counts.count == 101)
        #expect(try await b.metrics().contains(#"sluice_duplicates_dropped_total{source=""#))

        // PostgreSQL down: events are still accepted, de-duplicated on each node alone, and the fallback is reported.
        postgres.stop(removing: false)
        #expect(try await Self.send(a, ["during-outage", "during-outage"]) == 200)
        let metrics = try await a.metrics()
        #expect(metrics.contains("sluice_dedupe_cluster_degraded 1"), "\(metrics.suffix(3000))")
        #expect(metrics.contains("sluice_dedupe_cluster_fallbacks_total"))
        #expect(a.process.log().contains("cluster messageId log unreachable"))
        // A staged batch is recorded in the catalog's ledger before it leaves the spool, so it is stored (and the
        // flush succeeds) once PostgreSQL is back.
        try await postgres.restart()
        try await Poll.until("the batch stored after PostgreSQL returns", timeout: .seconds(90)) {
            (try? a.flush()) != nil
        }
        let ids = try ArchiveSnapshot.read(a.bucket).messageIDs
        #expect(ids.filter { $0 == "during-outage" }.count == 1)
    }
}
