import Foundation
import SluiceTesting
import Synchronization
import Testing

/// Durability: the real server is SIGKILLed repeatedly under load; after restarts and a flush every acknowledged
/// messageId is archived exactly once. Senders never re-send, so any duplicate would be Sluice's own.
@Suite(.serialized) struct CrashTests {
    final class Ledger: Sendable {
        let acked = Mutex<Set<String>>([])
        let attempted = Mutex<Set<String>>([])
        var ackedCount: Int { acked.withLock { $0.count } }
    }

    @Test func acknowledgedEventsSurviveRepeatedSIGKILL() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let ledger = Ledger()
        for round in 0..<4 {
            let target = ledger.ackedCount + 6000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in 0..<8 {
                    group.addTask {
                        await Self.send(server: server, ledger: ledger, prefix: "r\(round)-s\(sender)")
                    }
                }
                // Kill once enough work is acknowledged in this round: requests are in flight at that moment.
                try await Poll.until("acks in round \(round)", timeout: .seconds(120)) { ledger.ackedCount >= target }
                server.kill()
                try await group.waitForAll()
            }
            try await server.restart()
        }
        try server.flush()
        let archive = try ArchiveSnapshot.read(server.bucket)
        var counts: [String: Int] = [:]
        for id in archive.messageIDs { counts[id, default: 0] += 1 }
        let acked = ledger.acked.withLock { $0 }
        let attempted = ledger.attempted.withLock { $0 }
        let missing = acked.filter { counts[$0] == nil }
        let duplicated = counts.filter { $0.value > 1 }.map(\.key)
        #expect(acked.count >= 24000)
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10)) of \(missing.count)")
        #expect(duplicated.isEmpty, "archived more than once: \(duplicated.prefix(10))")
        #expect(Set(counts.keys).isSubset(of: attempted), "archived ids were all sent")
        #expect(archive.duckDBRows == archive.messageIDs.count)
    }

    /// Posts 10-event batches until the server stops answering; records what was sent and what got a 200.
    static func send(server: SluiceServerProcess, ledger: Ledger, prefix: String) async {
        var n = 0
        while true {
            let ids = (0..<10).map { "\(prefix)-\(n)-\($0)" }
            n += 1
            let items = ids.map {
                #"{"type":"track","event":"Crash Test","userId":"u","messageId":"\#($0)","properties":{"k":"\#(String(repeating: "v", count: 200))"}}"#
            }
            ledger.attempted.withLock { $0.formUnion(ids) }
            guard
                let reply = try? await HTTP.post(
                    server.url + "/v1/batch", json: #"{"batch":[\#(items.joined(separator: ","))]}"#,
                    headers: [HTTP.basic(server.writeKey)])
            else { return }
            guard reply.status == 200 else { return }
            ledger.acked.withLock { $0.formUnion(ids) }
        }
    }
}

/// Batches close without a flush: by age, and on graceful shutdown.
@Suite(.serialized) struct BatchLifecycleTests {
    @Test func gracefulShutdownWritesOpenBatches() async throws {
        let server = try await SluiceServerProcess.start()
        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"term-1"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200)
        #expect(server.bucketFiles().isEmpty)
        server.stop()
        #expect(server.process.process.terminationStatus == 0, "clean exit: \(server.process.log().suffix(2000))")
        #expect(try ArchiveSnapshot.read(server.bucket).messageIDs == ["term-1"])
    }

    @Test func batchesCloseByAge() async throws {
        let server = try await SluiceServerProcess.start(arguments: ["--batch-max-age", "1"])
        defer { server.stop() }
        let reply = try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"age-1"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(reply.status == 200)
        try await Poll.until("the batch to close by age", timeout: .seconds(20)) { !server.bucketFiles().isEmpty }
        #expect(try ArchiveSnapshot.read(server.bucket).messageIDs == ["age-1"])
    }
}
