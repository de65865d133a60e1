import Foundation
import SluiceTesting
import Testing

/// Issue 15's chaos test: three nodes behind HAProxy on one PostgreSQL, both official SDKs (Segment's and
/// RudderStack's Python SDKs) sending all the time. One node is SIGKILLed while it stages batches (its staging
/// endpoint is a fault proxy, and the kill follows a staging PUT that the proxy failed, so the upload is being
/// retried), PostgreSQL is restarted, and another node is SIGKILLed while it copies (it alone copies
/// continuously, reading staged files through a proxy that sends them slowly; the destination is added late, so
/// its first run has a backlog, and the kill follows the first object it delivers). Both are restarted on their
/// data directories. Then every acknowledged messageId is in the destination exactly once, and the destination
/// holds exactly the staged objects, each one whole gzip.
///
/// Only what anyone can observe is used (proxy logs, bucket listings, health), so the test holds whatever the
/// copy's internals are.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ChaosTests {
    @Test func killsAndAPostgresRestartLoseNoAcknowledgedEventAndDuplicateNoObject() async throws {
        guard FaultProxy.isInstalled else { throw TestSupportError("nginx is needed (scripts/deps/apt-test.txt)") }
        var proxies: [FaultProxy] = []
        defer { for proxy in proxies { proxy.stop() } }
        let copyConfig = try TemporaryDirectory("chaos-config")
        defer { copyConfig.remove() }
        try #"{"copy":{"continuous":true,"intervalSeconds":1}}"#.write(
            toFile: copyConfig.path + "/copy.json", atomically: true, encoding: .utf8)

        let rig = try await ClusterRig.start(nodes: 3) { n, rig in
            switch n {
            case 1:  // the stager: a quarter of its S3 requests fail
                let proxy = try await FaultProxy.start(
                    upstreamPort: rig.moto.port, slowDownPercent: 12, internalErrorPercent: 8, dropPercent: 5)
                proxies.append(proxy)
                return (proxy.endpoint, [])
            case 2:  // the copier: the only node that copies on its own, and its downloads are slow
                let proxy = try await FaultProxy.start(
                    upstreamPort: rig.moto.port, slowDownPercent: 0, internalErrorPercent: 0, dropPercent: 0,
                    responseBytesPerSecond: 512)
                proxies.append(proxy)
                return (proxy.endpoint, ["--config", copyConfig.path + "/copy.json"])
            default:
                return (nil, [])
            }
        }
        defer { rig.stop() }
        let (stager, copier) = (rig.nodes[1], rig.nodes[2])
        let stagingProxy = proxies[0]
        let proxy = try #require(rig.proxy)
        let segment = try StreamingSender(sdk: "segment", host: proxy.url, writeKey: rig.writeKey, prefix: "seg")
        let rudder = try StreamingSender(sdk: "rudder", host: proxy.url, writeKey: rig.writeKey, prefix: "rud")
        try await segment.waitForAcknowledgements(150)
        try await rudder.waitForAcknowledgements(150)

        // 1. Kill the stager right after the proxy failed one of its staging uploads: it is retrying it.
        let failedBefore = Self.failedStagingPuts(stagingProxy)
        try await Poll.until("a failed staging upload on the stager", timeout: .seconds(60), every: .milliseconds(10)) {
            Self.failedStagingPuts(stagingProxy) > failedBefore
        }
        stager.kill()
        try await segment.waitForAcknowledgements(100)
        try await stager.restart()

        // 2. Restart PostgreSQL; ingest goes on meanwhile.
        try rig.postgres.stopFast()
        try await Poll.until("a node to see the catalog unreachable", timeout: .seconds(30)) {
            await rig.health(rig.nodes[0])?.catalog == "unreachable"
        }
        try await rudder.waitForAcknowledgements(100)
        try await rig.postgres.restart()
        try await Poll.until("the catalog ok again", timeout: .seconds(30)) {
            await rig.health(rig.nodes[0])?.catalog == "ok"
        }

        // 3. Kill the copier while it copies. The destination is added only now, so the copier's first run starts
        // with every batch staged so far to copy, slowly; the kill follows its first delivered object.
        let added = try rig.nodes[0].cli(
            [
                "destinations", "add", "default", "dest-bucket", "--endpoint", rig.moto.endpoint, "--region",
                "us-east-1", "--access-key-id", "testing", "--secret-env", "DEST_SECRET",
            ] + rig.staging)
        #expect(added.status == 0, "\(added.output)")

        let source = try rig.defaultSourceID()
        let deliveredBefore = try await Self.deliveredCount(rig, source: source)
        try await Poll.until("the copier to deliver an object", timeout: .seconds(90), every: .milliseconds(20)) {
            try await Self.deliveredCount(rig, source: source) > deliveredBefore
        }
        let pending = try await rig.stagedKeys().filter { $0.contains("/\(source)/") }.count
        let delivered = try await Self.deliveredCount(rig, source: source)
        copier.kill()
        #expect(pending > delivered, "the copier was killed with staged files still to copy")
        try await segment.waitForAcknowledgements(100)
        try await copier.restart()
        try await rudder.waitForAcknowledgements(100)

        let sent = [try segment.stop(), try rudder.stop()]
        let acked = sent.reduce(into: Set<String>()) { $0.formUnion($1.acked) }
        #expect(acked.count >= 900)
        for node in rig.nodes {
            // The stager's flaky staging may need a retry or two before everything is stored.
            try await Poll.until("node on \(node.port) to store every batch", timeout: .seconds(120)) {
                (try? node.flush()) != nil
            }
        }
        try rig.copyNow()
        try await rig.expectEveryAcknowledgedMessageDeliveredOnce(acked)
    }

    /// Staging PUTs of batch files that the fault proxy answered with a fault (503, 500, or a dropped connection).
    static func failedStagingPuts(_ proxy: FaultProxy) -> Int {
        proxy.accessLog().filter { line in
            let fields = line.split(separator: " ")
            return fields.count > 2 && fields[1] == "PUT" && fields[2].contains("segment-logs")
                && ["503", "500", "444"].contains(String(fields[0]))
        }.count
    }

    static func deliveredCount(_ rig: ClusterRig, source: String) async throws -> Int {
        try await rig.s3.listAllObjects(bucket: "dest-bucket", prefix: "segment-logs/\(source)/").objects.count
    }
}
