import Foundation
import S3
import SluiceTesting
import Testing

/// `sluice serve` end to end: a destination added through the admin API (validation write included), events sent
/// to the Tracking API, and the server's own copy service (continuous mode) delivering the closed batch.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct ServeDeliveryTests {
    @Test func theServersCopyServiceDeliversBatchesToADestinationAddedThroughTheAdminAPI() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let dir = try TemporaryDirectory("serve-delivery")
        defer { dir.remove() }
        let config = dir.path + "/sluice.json"
        try #"{"copy": {"continuous": true, "intervalSeconds": 1}}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let server = try await SluiceServerProcess.start(
            dataDirectory: dir.path + "/data", arguments: ["--config", config])
        defer { server.stop() }
        let token = try String(contentsOfFile: dir.path + "/data/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let auth = ("Authorization", "Bearer \(token)")
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(MotoDeliveryTests.testing)),
            httpClient: S3Harness.http, logger: .init(label: "test"))
        try await s3.createBucket("seg-serve")

        let refused = try await HTTP.post(
            server.url + "/admin/destinations",
            json:
                #"{"source":"default","bucket":"no-such-bucket","endpoint":"\#(moto.endpoint)","region":"us-east-1","accessKeyId":"testing","secretAccessKey":"testing"}"#,
            headers: [auth])
        #expect(refused.status == 422, "\(refused.text)")
        let added = try await HTTP.post(
            server.url + "/admin/destinations",
            json:
                #"{"source":"default","bucket":"seg-serve/pre","endpoint":"\#(moto.endpoint)","region":"us-east-1","accessKeyId":"testing","secretAccessKey":"moto-secret-value"}"#,
            headers: [auth])
        #expect(added.status == 201, "\(added.text)")
        #expect(!added.text.contains("moto-secret-value"))  // secrets are never shown
        let id = try #require(added.json?["id"] as? String)

        for n in 0..<5 {
            let reply = try await HTTP.post(
                server.url + "/v1/track", json: #"{"userId":"u\#(n)","event":"Signed Up"}"#,
                headers: [HTTP.basic(server.writeKey)])
            #expect(reply.status == 200)
        }
        try server.flush()
        let staged = server.bucketFiles()
        #expect(staged.count == 1)
        let key = "pre/" + (staged.first ?? "")
        try await Poll.until("the copy service delivers the batch", timeout: .seconds(30)) {
            (try? await s3.headObject(bucket: "seg-serve", key: key)) != nil
        }
        let download = dir.path + "/delivered.gz"
        _ = try await s3.getObject(bucket: "seg-serve", key: key, to: download)
        #expect(
            FileManager.default.contents(atPath: download)
                == FileManager.default.contents(atPath: server.bucket + "/" + (staged.first ?? "")))

        try await Poll.until("status shows the delivery", timeout: .seconds(10)) {
            let list = try await HTTP.request("GET", server.url + "/admin/destinations", headers: [auth])
            let all = try JSONSerialization.jsonObject(with: Data(list.body)) as? [[String: Any]]
            let status = all?.first { $0["id"] as? String == id }
            return status?["deliveredFiles"] as? Int == 1 && status?["pendingFiles"] as? Int == 0
                && status?["lastSuccessAt"] as? Int != nil
        }
        let listed = try server.cli(["destinations", "list"])
        #expect(
            listed.status == 0 && listed.output.contains("delivered 1 files; pending 0 files")
                && !listed.output.contains("moto-secret-value"))
    }
}
