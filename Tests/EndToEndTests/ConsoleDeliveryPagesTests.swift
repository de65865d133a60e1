import Foundation
import SluiceTesting
import Testing

/// The console's destination forms, bucket policy form, overview numbers and archive browser on `sluice serve` with
/// a moto destination: add with the validation write (its refusal answered plainly), edit, remove with
/// confirmation; policy findings; the staged file's preview and download; every key parameter validated.
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct ConsoleDeliveryPagesTests {
    @Test func addEditRemoveDestinationsPolicyOverviewAndArchive() async throws {
        let curl = try #require(which("curl"), "curl is missing: scripts/test.sh installs it")
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let bucket = "console-pages-\(UUID().uuidString.prefix(8).lowercased())"
        let made = try runCommand(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import boto3,sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', "
                    + "aws_access_key_id='testing', aws_secret_access_key='testing').create_bucket(Bucket=sys.argv[2])",
                moto.endpoint, bucket,
            ])
        try #require(made.status == 0, "\(made.output)")
        let console = try await ConsoleClient.signIn(server, curl: curl)
        let base = server.url + "/console/api/"
        func settings(_ bucket: String) -> String {
            #"{"source":"default","bucket":"\#(bucket)","endpoint":"\#(moto.endpoint)","region":"us-east-1","accessKeyId":"testing","secretAccessKey":"moto-secret-value"}"#
        }

        // Add: the validation write into a bucket that does not exist is refused with the reason; nothing is stored.
        let refused = try await console.call("POST", base + "destinations", json: settings("no-such-bucket-console"))
        #expect(refused.status == 422 || refused.status == 502, "\(refused.text)")
        #expect((refused.json?["message"] as? String)?.isEmpty == false, "\(refused.text)")
        let halfKeys = try await console.call(
            "POST", base + "destinations", json: #"{"source":"default","bucket":"b-b-b","accessKeyId":"AKIA"}"#)
        #expect(halfKeys.status == 400 && halfKeys.json?["code"] as? String == "invalid_settings")
        #expect(try await console.call("POST", base + "destinations", json: settings(bucket), csrf: false).status == 403)
        let added = try await console.call("POST", base + "destinations", json: settings(bucket))
        #expect(added.status == 201, "\(added.text)")
        #expect(!added.text.contains("moto-secret-value"))
        let id = try #require(added.json?["id"] as? String)

        // Edit without the secret keeps the stored one; a change the validation write refuses changes nothing.
        let edited = try await console.call("POST", base + "destinations/\(id)/edit", json: #"{"sse":"none"}"#)
        #expect(edited.status == 200 && edited.json?["sse"] as? String != "aes256", "\(edited.text)")
        let badEdit = try await console.call(
            "POST", base + "destinations/\(id)/edit", json: #"{"bucket":"no-such-bucket-console"}"#)
        #expect(badEdit.status == 422 || badEdit.status == 502, "\(badEdit.text)")
        let listed = try await console.call("GET", base + "destinations")
        #expect(listed.text.contains(bucket) && !listed.text.contains("moto-secret-value"))
        let next = try await console.call("GET", base + "copy/next")
        #expect(next.status == 200 && (next.json?["nextCopyAt"] as? Int ?? 0) > 0, "\(next.text)")

        // Policy form: a Resource without /* is an error finding; a bad bucket string is a 400 with the reason.
        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/sluice"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::\#(bucket)/segment-logs"}]}"#
        let checked = try await console.call(
            "POST", base + "policy/check",
            json: try jsonText([
                "bucket": bucket, "principal": "arn:aws:iam::123456789012:user/sluice", "policy": policy,
            ]))
        let findings = checked.json?["findings"] as? [[String: Any]] ?? []
        #expect(checked.status == 200 && findings.contains { $0["severity"] as? String == "error" }, "\(checked.text)")
        #expect((findings.first?["message"] as? String)?.contains("/*") == true, "\(checked.text)")
        let generated = try await console.call(
            "POST", base + "policy/generate",
            json: #"{"bucket":"\#(bucket)","principal":"arn:aws:iam::123456789012:user/sluice"}"#)
        #expect(generated.status == 200 && (generated.json?["bucketPolicy"] as? String)?.contains("PutObject") == true)
        let clean = try await console.call(
            "POST", base + "policy/check",
            json: try jsonText([
                "bucket": bucket, "principal": "arn:aws:iam::123456789012:user/sluice",
                "policy": generated.json?["bucketPolicy"] as? String ?? "",
            ]))
        #expect((clean.json?["findings"] as? [Any])?.isEmpty == true, "\(clean.text)")
        #expect(try await console.call("POST", base + "policy/check", json: #"{"bucket":"x","policy":"nope"}"#).status == 400)

        // Events in, a staged file in the archive browser, delivered by copy now, counted on the overview.
        let sent = try await HTTP.post(
            server.url + "/v1/batch",
            json: #"{"batch":[{"type":"track","userId":"u","event":"<script>x</script>"},{"type":"track","userId":"u"}]}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(sent.status == 200)
        try server.flush()
        let sources = try await console.call("GET", base + "sources")
        let source = try #require(
            (try JSONSerialization.jsonObject(with: Data(sources.body)) as? [[String: Any]])?.first?["id"] as? String)
        let days = try await console.call("GET", base + "archive/\(source)")
        let day = try #require(
            (try JSONSerialization.jsonObject(with: Data(days.body)) as? [[String: Any]])?.first, "\(days.text)")
        #expect(day["files"] as? Int == 1)
        let files = try await console.call("GET", base + "archive/\(source)/\(day["day"] as? Int ?? 0)")
        let file = try #require(
            (try JSONSerialization.jsonObject(with: Data(files.body)) as? [[String: Any]])?.first, "\(files.text)")
        let key = try #require(file["key"] as? String)
        let escaped = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key
        let preview = try await console.call("GET", base + "archive/preview?key=\(escaped)")
        #expect(preview.status == 200 && preview.json?["eventCount"] as? Int == 1, "\(preview.text)")
        #expect((preview.json?["lines"] as? [String])?.first?.contains("<script>x</script>") == true)
        let download = try await console.call("GET", server.url + "/console/archive/download?key=\(escaped)")
        #expect(download.status == 200 && download.body.prefix(2) == [0x1f, 0x8b])
        #expect(Int64(download.body.count) == file["size"] as? Int64 ?? Int64(file["size"] as? Int ?? -1))
        for bad in [
            "../../etc/passwd", "segment-logs/\(source)/../../x.gz", "prefix/" + key, key + "x", "", "/" + key,
        ] {
            let encoded = bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bad
            let reply = try await console.call("GET", base + "archive/preview?key=\(encoded)")
            #expect(reply.status == 400 || reply.status == 404, "\(bad): \(reply.status) \(reply.text)")
            let fetched = try await console.call("GET", server.url + "/console/archive/download?key=\(encoded)")
            #expect(fetched.status == 400 || fetched.status == 404, "\(bad): \(fetched.status)")
        }
        #expect(try await console.call("GET", base + "archive/nope").status == 404)
        #expect(try await console.call("GET", base + "archive/\(source)/123").status == 400)
        #expect(try await HTTP.request("GET", base + "archive/preview?key=\(escaped)").status == 401)

        let copied = try await console.call("POST", base + "copy")
        #expect(copied.json?["delivered"] as? Int == 1, "\(copied.text)")
        let overview = try await console.call("GET", base + "overview")
        #expect(overview.json?["eventsLast24h"] as? Int == 1, "\(overview.text)")
        #expect(overview.json?["rejectedLast24h"] as? Int == 1)
        #expect(overview.json?["filesDeliveredLast24h"] as? Int == 1)
        #expect(overview.json?["medianLagMs"] as? Int != nil && overview.json?["spool"] as? [String: Any] != nil)
        let chart = try await console.call("GET", server.url + "/console/charts/deliveries.svg?destination=\(id)")
        #expect(chart.status == 200 && chart.text.contains("<title>1</title>"), "\(chart.text.prefix(300))")

        // Remove needs the bucket typed.
        let unconfirmed = try await console.call("POST", base + "destinations/\(id)/remove", json: #"{"confirm":"x"}"#)
        #expect(unconfirmed.status == 400, "\(unconfirmed.text)")
        #expect(try await console.call("POST", base + "destinations/\(id)/remove", json: "{}", csrf: false).status == 403)
        let removed = try await console.call("POST", base + "destinations/\(id)/remove", json: #"{"confirm":"\#(bucket)"}"#)
        #expect(removed.status == 200, "\(removed.text)")
        #expect(try await console.call("GET", base + "destinations").text == "[]")
    }
}

extension ConsoleClient {
    func call(_ method: String, _ url: String, json: String, csrf: Bool = true) async throws -> HTTP.Reply {
        var headers = [("Cookie", cookie), ("Content-Type", "application/json")]
        if csrf { headers.append(("X-CSRF-Token", self.csrf)) }
        return try await HTTP.request(method, url, headers: headers, body: Array(json.utf8))
    }
}

private func jsonText(_ object: [String: String]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}
