import Foundation
import SluiceTesting
import Testing

/// The destinations page's JSON routes on `sluice serve` with a moto destination: status without secrets,
/// disable/enable (CSRF token required), and copy now delivering what is pending.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct ConsoleDestinationsTests {
    @Test func statusEnableDisableAndCopyNow() async throws {
        let curl = try #require(which("curl"), "curl is missing: scripts/test.sh installs it")
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let admin = ("Authorization", "Bearer \(try server.adminToken())")
        let bucket = "console-dest-\(UUID().uuidString.prefix(8).lowercased())"
        let made = try runCommand(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import boto3,sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', "
                    + "aws_access_key_id='testing', aws_secret_access_key='testing').create_bucket(Bucket=sys.argv[2])",
                moto.endpoint, bucket,
            ])
        try #require(made.status == 0, "\(made.output)")
        let added = try await HTTP.post(
            server.url + "/admin/destinations",
            json:
                #"{"source":"default","bucket":"\#(bucket)","endpoint":"\#(moto.endpoint)","region":"us-east-1","accessKeyId":"testing","secretAccessKey":"moto-secret-value"}"#,
            headers: [admin])
        #expect(added.status == 201, "\(added.text)")
        let id = try #require(added.json?["id"] as? String)

        let console = try await ConsoleClient.signIn(server, curl: curl)
        let base = server.url + "/console/api/"
        let listed = try await console.call("GET", base + "destinations")
        #expect(listed.status == 200)
        #expect(!listed.text.contains("moto-secret-value"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.body)) as? [[String: Any]])
        #expect(rows.first?["id"] as? String == id && rows.first?["enabled"] as? Bool == true)

        #expect(try await console.call("POST", base + "destinations/\(id)/disable", csrf: false).status == 403)
        #expect(try await HTTP.request("GET", base + "destinations").status == 401)
        let disabled = try await console.call("POST", base + "destinations/\(id)/disable")
        #expect(disabled.status == 200 && disabled.json?["enabled"] as? Bool == false, "\(disabled.text)")
        #expect(try await console.call("POST", base + "destinations/nope/disable").status == 404)

        let sent = try await HTTP.post(
            server.url + "/v1/track", json: #"{"userId":"u","event":"Copied"}"#, headers: [HTTP.basic(server.writeKey)])
        #expect(sent.status == 200)
        try server.flush()
        let whileDisabled = try await console.call("POST", base + "copy")
        #expect(whileDisabled.status == 200 && whileDisabled.json?["delivered"] as? Int == 0, "\(whileDisabled.text)")
        let enabled = try await console.call("POST", base + "destinations/\(id)/enable")
        #expect(enabled.json?["enabled"] as? Bool == true && enabled.json?["pendingFiles"] as? Int == 1)
        #expect(try await console.call("POST", base + "copy", csrf: false).status == 403)
        let copied = try await console.call("POST", base + "copy")
        #expect(copied.json?["delivered"] as? Int == 1, "\(copied.text)")
        let after = try await console.call("GET", base + "destinations")
        let status = try #require((try JSONSerialization.jsonObject(with: Data(after.body)) as? [[String: Any]])?.first)
        #expect(status["deliveredFiles"] as? Int == 1 && status["pendingFiles"] as? Int == 0)
        #expect(status["lastSuccessAt"] as? Int != nil)
    }
}

/// A signed-in console session for plain HTTP calls: the cookie (from curl's jar) and the page's CSRF token.
struct ConsoleClient {
    let cookie: String
    let csrf: String

    static func signIn(_ server: SluiceServerProcess, curl: String) async throws -> ConsoleClient {
        let dir = try TemporaryDirectory("console-jar")
        defer { dir.remove() }
        let jar = dir.path + "/cookies"
        let signIn = try runCommand(
            curl,
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-c", jar, "--data-urlencode",
                "token=\(try server.adminToken())", server.url + "/console/sign-in",
            ])
        try #require(signIn.output == "303", "\(signIn.output)")
        let line = try #require(
            try String(contentsOfFile: jar, encoding: .utf8).split(separator: "\n").first {
                $0.contains("sluice_console")
            })
        let value = String(line.split(separator: "\t").last ?? "")
        let page = try await HTTP.request(
            "GET", server.url + "/console/sources", headers: [("Cookie", "sluice_console=\(value)")])
        let marker = #"<meta name="csrf-token" content=""#
        let start = try #require(page.text.range(of: marker)?.upperBound, "\(page.status) \(page.text.prefix(200))")
        return ConsoleClient(cookie: "sluice_console=\(value)", csrf: String(page.text[start...].prefix(64)))
    }

    func call(_ method: String, _ url: String, csrf: Bool = true) async throws -> HTTP.Reply {
        var headers = [("Cookie", cookie)]
        if csrf { headers.append(("X-CSRF-Token", self.csrf)) }
        return try await HTTP.request(method, url, headers: headers)
    }
}
