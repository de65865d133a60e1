import Foundation
import SluiceTesting
import Testing

/// `sluice sources import` with the real binary: CSV, JSON and a Segment Public API export; every bad row reported
/// with its line and nothing imported; `--dry-run` and `--skip-existing`.
@Suite(.serialized) struct SourceImportCLITests {
    @Test func aCSVIsImportedWithEveryKeyAndTheSourcesTakeTraffic() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let file = try write(
            server, "sources.csv",
            """
            name,id,write_keys
            web,qwertyuiop,web-browser-key-1;web-server-key-2
            "api",AbCdEfGhIjKlMnOpQrStUv,api-key-00000001|api-key-00000002

            """)
        let dry = try server.cli(["sources", "import", file, "--dry-run"])
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("would create web id qwertyuiop with 2 write key(s)"), "\(dry.output)")
        #expect(try sourceNames(server) == ["default"])

        let done = try server.cli(["sources", "import", file, "--json"])
        #expect(done.status == 0, "\(done.output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(done.output.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["action"] as? String } == ["create", "create"])
        #expect(!done.output.contains("web-browser-key-1"))  // keys are secrets: not repeated
        #expect(try sourceNames(server) == ["api", "default", "web"])
        for key in ["web-browser-key-1", "web-server-key-2", "api-key-00000002"] {
            #expect(try await track(server, key: key, id: "imp-\(key)") == 200, "\(key)")
        }
        try server.flush()
        let folders = try ArchiveSnapshot.read(server.bucket).events.compactMap { event -> String? in
            guard (event["messageId"] as? String)?.hasPrefix("imp-web") == true else { return nil }
            return (event["__file"] as? String).map { String($0.split(separator: "/")[1]) }
        }
        #expect(folders == ["qwertyuiop", "qwertyuiop"])

        let again = try server.cli(["sources", "import", file])
        #expect(again.status != 0 && again.output.contains("line 2: a source with id 'qwertyuiop' already exists"))
        let rerun = try server.cli(["sources", "import", file, "--skip-existing"])
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.output.contains("skipped (already present) web") && rerun.output.contains("created 0 source(s)"))
    }

    @Test func everyBadRowIsReportedWithItsLineAndNothingIsImported() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        #expect(
            try server.cli(["sources", "create", "taken", "--id", "zzzzzzzzzz", "--write-key", "taken-key-0001"])
                .status == 0)
        let file = try write(
            server, "bad.csv",
            """
            name,id,write_keys
            good,aaaaaaaaaa,good-key-000001
            bad/name,bbbbbbbbbb,bad-key-0000001
            short,abc,short-key-000001
            twin,aaaaaaaaaa,twin-key-000001
            thief,cccccccccc,taken-key-0001
            taken,dddddddddd,other-key-000001
            nokey,eeeeeeeeee,
            again,ffffffffff,good-key-000001
            old,zzzzzzzzzz,taken-key-0001
            """)
        let refused = try server.cli(["sources", "import", file])
        #expect(refused.status != 0)
        for expected in [
            "line 3: source name 'bad/name' is not valid", "line 4: source id 'abc' is not a Segment source id",
            "line 5: id 'aaaaaaaaaa' is also on line 2", "line 6: write key 1 is already in use by source zzzzzzzzzz",
            "line 7: a source named 'taken' already exists", "line 8: no write key",
            "line 9: write key 1 is also on line 2", "line 10: a source with id 'zzzzzzzzzz' already exists",
            "nothing was imported",
        ] {
            #expect(refused.output.contains(expected), "missing '\(expected)' in:\n\(refused.output)")
        }
        #expect(!refused.output.contains("line 2:"), "\(refused.output)")
        #expect(try sourceNames(server) == ["default", "taken"])
        #expect(try await track(server, key: "good-key-000001", id: "never") == 401)

        let garbage: [(String, String)] = [
            ("name,id\nweb,qwertyuiop\n", "line 1: the header must name the columns name,id,write_keys"),
            ("name,id,write_keys\n\"web,qwertyuiop,k\n", "a quoted field is not closed"),
            ("name,id,write_keys\nweb,qwertyuiop\n", "line 2: 2 field(s), the header has 3"),
            (
                "[{\"name\":\"web\",\"id\":\"qwertyuiop\",\"writeKeys\":\"k\"}]",
                "entry 1: \"writeKeys\" must be an array"
            ),
            ("[1,", "not valid JSON"), ("{\"sources\":3}", "not a Segment sources export"),
            (
                #"{"data":{"sources":[{"id":"qwertyuiop","slug":"Web Site","writeKeys":["key-00000001"]}]}}"#,
                "sources[0]: source name 'Web Site' is not valid"
            ),
        ]
        for (n, (text, message)) in garbage.enumerated() {
            let path = try write(server, "garbage-\(n)", text)
            let result = try server.cli(["sources", "import", path])
            #expect(result.status != 0 && result.output.contains(message), "\(text): \(result.output)")
        }
        let missing = try server.cli(["sources", "import", server.dataDirectory + "/no-such-file.csv"])
        #expect(missing.status != 0 && missing.output.contains("cannot read"))
        #expect(try sourceNames(server) == ["default", "taken"])
    }

    @Test func aSegmentWorkspaceExportAndAJSONListAreImported() async throws {
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        // The shape of Segment's Public API `GET /sources` answer (ids, slugs, write keys; cloud sources have none).
        let export = try write(
            server, "segment.json",
            """
            {"data": {"sources": [
              {"id": "qwertyuiop", "slug": "javascript-website", "name": "Javascript Website", "workspaceId": "w1",
               "enabled": true, "writeKeys": ["seg-js-write-key-1"], "metadata": {"slug": "javascript"},
               "settings": {}, "labels": []},
              {"id": "ZYXWVUTSRQPONMLKJIHGFE", "name": "backend", "enabled": true,
               "writeKeys": ["seg-node-key-0001", "seg-node-key-0002"]},
              {"id": "asdfghjkl0", "slug": "salesforce", "name": "Salesforce", "writeKeys": []}
            ]}, "pagination": {"current": "MA==", "totalEntries": 3}}
            """)
        let done = try server.cli(["sources", "import", export])
        #expect(done.status == 0, "\(done.output)")
        #expect(done.output.contains("created javascript-website id qwertyuiop with 1 write key(s)"), "\(done.output)")
        #expect(done.output.contains("created backend id ZYXWVUTSRQPONMLKJIHGFE with 2 write key(s)"))
        #expect(done.output.contains("ignored sources[2] (asdfghjkl0): no write keys"), "\(done.output)")
        #expect(try await track(server, key: "seg-node-key-0002", id: "seg-1") == 200)

        let list = try write(
            server, "list.json", #"[{"name": "ios", "id": "iosiosios1", "writeKeys": ["ios-key-000001"]}]"#)
        let imported = try server.cli(["sources", "import", list])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(try sourceNames(server) == ["backend", "default", "ios", "javascript-website"])
        #expect(try await track(server, key: "ios-key-000001", id: "ios-1") == 200)
    }

    func write(_ server: SluiceServerProcess, _ name: String, _ text: String) throws -> String {
        let path = server.dataDirectory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func track(_ server: SluiceServerProcess, key: String, id: String) async throws -> Int {
        try await HTTP.post(
            server.url + "/v1/track", json: #"{"event":"e","userId":"u","messageId":"\#(id)"}"#,
            headers: [HTTP.basic(key)]
        ).status
    }

    func sourceNames(_ server: SluiceServerProcess) throws -> [String] {
        let listed = try server.cli(["sources", "list", "--json"])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        return all.compactMap { $0["name"] as? String }.sorted()
    }
}
