import Foundation
import S3
import SluiceTesting
import Testing

/// Static destination secrets through the real binary: sealed in the catalog, never printed, logged or put in
/// `--json`; a secret that stays in an environment variable is read by the node that copies; a wrong key is a clear
/// error that shows nothing of the secret.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct SecretsAtRestTests {
    static let secret = "sEcReT-" + UUID().uuidString
    static let envSecret = "eNvSeCrEt-" + UUID().uuidString

    @Test func secretsAreSealedNeverShownAndEnvironmentSecretsStayInTheEnvironment() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let s3 = try S3Client(
            configuration: .init(
                endpoint: moto.endpoint, region: "us-east-1", addressing: .path,
                credentials: StaticCredentialsProvider(MotoDeliveryTests.testing)),
            httpClient: S3Harness.http, logger: .init(label: "test"))
        try await s3.createBucket("sealed-dest")
        try await s3.createBucket("env-dest")
        let server = try await SluiceServerProcess.start(
            arguments: ["--log-level", "trace"], environment: ["DEST_SECRET": Self.secret])
        defer { server.stop() }
        let endpoint = ["--endpoint", moto.endpoint, "--region", "us-east-1"]
        var outputs: [String] = []

        let added = try runCLI(
            server,
            [
                "destinations", "add", "default", "sealed-dest", "--access-key-id", "AKIASEALED", "--secret-env",
                "DEST_SECRET", "--json",
            ] + endpoint,
            environment: ["DEST_SECRET": Self.secret])
        #expect(added.status == 0, "\(added.output)")
        let refusedFlag = try runCLI(
            server, ["destinations", "add", "default", "env-dest", "--secret-stays-in-env"] + endpoint,
            environment: [:])
        #expect(refusedFlag.status != 0 && refusedFlag.output.contains("--secret-stays-in-env goes with"))
        let addedEnv = try runCLI(
            server,
            [
                "destinations", "add", "default", "env-dest", "--access-key-id", "AKIAENV", "--secret-env",
                "ENV_SECRET",
                "--secret-stays-in-env", "--json",
            ] + endpoint,
            environment: ["ENV_SECRET": Self.envSecret])
        #expect(addedEnv.status == 0, "\(addedEnv.output)")
        #expect(addedEnv.output.contains("ENV_SECRET"), "the variable's name is shown: \(addedEnv.output)")
        outputs += [added.output, addedEnv.output]

        for n in 0..<3 {
            let reply = try await HTTP.post(
                server.url + "/v1/track", json: #"{"userId":"u\#(n)","event":"Sealed"}"#,
                headers: [HTTP.basic(server.writeKey)])
            #expect(reply.status == 200)
        }
        try server.flush()
        let staged = try #require(server.bucketFiles().first)

        // The node that copies without ENV_SECRET cannot reach env-dest, and says which variable it misses.
        let missing = try runCLI(server, ["copy", "--now"], environment: [:])
        #expect(missing.status != 0, "\(missing.output)")
        #expect(missing.output.contains("$ENV_SECRET"), "\(missing.output)")
        #expect((try? await s3.headObject(bucket: "sealed-dest", key: staged)) != nil, "the sealed secret opened")
        #expect((try? await s3.headObject(bucket: "env-dest", key: staged)) == nil)
        let copied = try runCLI(server, ["copy", "--now"], environment: ["ENV_SECRET": Self.envSecret])
        #expect(copied.status == 0, "\(copied.output)")
        #expect((try? await s3.headObject(bucket: "env-dest", key: staged)) != nil)
        outputs += [missing.output, copied.output]

        let listed = try runCLI(server, ["destinations", "list"], environment: [:])
        let listedJSON = try runCLI(server, ["destinations", "list", "--json"], environment: [:])
        #expect(listed.status == 0 && listedJSON.status == 0, "\(listed.output)\(listedJSON.output)")
        let token = try server.adminToken()
        let api = try await HTTP.request(
            "GET", server.url + "/admin/destinations", headers: [("Authorization", "Bearer \(token)")])
        #expect(api.status == 200)
        outputs += [listed.output, listedJSON.output, api.text]

        // Another key (a node given the wrong SLUICE_SECRET_KEY): a clear error, nothing of the secret.
        let wrongKey = try runCLI(
            server, ["destinations", "list"],
            environment: [
                "SLUICE_SECRET_KEY": Data(repeating: 3, count: 32)
                    .base64EncodedString()
            ])
        #expect(wrongKey.status != 0 && wrongKey.output.contains("sealed with key"), "\(wrongKey.output)")
        let badKey = try runCLI(server, ["sources", "list"], environment: ["SLUICE_SECRET_KEY": "not-a-key"])
        #expect(badKey.status != 0 && badKey.output.contains("SLUICE_SECRET_KEY must hold a 32-byte key"))
        outputs += [wrongKey.output, badKey.output]

        server.stop()
        outputs.append(server.process.log())
        // `serve` with the wrong key stops at start with the same line, instead of failing every copy.
        let wrongServe = try runCLI(
            server, ["serve", "--host", "127.0.0.1", "--port", "\(try FreePort.allocate())"],
            environment: ["SLUICE_SECRET_KEY": Data(repeating: 3, count: 32).base64EncodedString()])
        #expect(wrongServe.status == 2 && wrongServe.output.contains("sealed with key"), "\(wrongServe.output)")
        outputs.append(wrongServe.output)
        for (n, output) in outputs.enumerated() {
            #expect(!output.contains(Self.secret) && !output.contains(Self.envSecret), "output \(n) shows a secret")
        }
        for file in ["catalog.sqlite", "catalog.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: server.dataDirectory + "/" + file) ?? Data()
            #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "\(file) holds the secret in plain text")
            #expect(bytes.range(of: Data(Self.envSecret.utf8)) == nil)
        }
        let sealedColumn = try runCommand(
            "/usr/bin/sqlite3",
            [server.dataDirectory + "/catalog.sqlite", "SELECT secret_access_key FROM destinations ORDER BY bucket"])
        #expect(sealedColumn.output.contains("ENV_SECRET") && sealedColumn.output.contains("sluice-sealed:v1:"))
    }

    /// A `sluice` command on the server's data directory, with `environment` added to the test process's.
    func runCLI(_ server: SluiceServerProcess, _ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, output: String
    ) {
        try runCommand(
            SluiceServerProcess.binaryPath, arguments + ["--data-dir", server.dataDirectory], environment: environment)
    }
}
