import Foundation
import SluiceTesting
import Testing

/// `sluice serve --tls-cert --tls-key`: HTTPS with HTTP/2 and HTTP/1.1 by ALPN, the certificate reloaded on SIGHUP
/// by the same process on the same listener, and bad certificate files refused with one line and exit status 2.
/// Certificates are made by `openssl` in the test; curl and `openssl s_client` are the clients.
@Suite(.serialized) struct TLSTests {
    /// A self-signed EC certificate for 127.0.0.1 whose subject CN is `name`.
    static func makeCertificate(_ name: String, in directory: String) throws -> (cert: String, key: String) {
        let cert = directory + "/\(name).crt.pem"
        let key = directory + "/\(name).key.pem"
        let run = try runCommand(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key,
                "-out", cert,
            ])
        guard run.status == 0 else { throw TestSupportError("openssl req failed: \(run.output)") }
        return (cert, key)
    }

    /// What `openssl s_client` sees: the served certificate's subject and the ALPN protocol agreed.
    static func handshake(port: Int, alpn: String = "h2,http/1.1") throws -> String {
        try runCommand(
            "/usr/bin/env",
            ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-alpn", alpn, "-servername", "localhost"]
        ).output
    }

    static func curl(_ arguments: [String]) throws -> String {
        let run = try runCommand("/usr/bin/env", ["curl", "-sS", "--insecure", "--max-time", "30"] + arguments)
        guard run.status == 0 else { throw TestSupportError("curl \(arguments) failed: \(run.output)") }
        return run.output
    }

    @Test func httpsServesBothVersionsAndReloadsTheCertificateOnSIGHUP() async throws {
        let directory = try TemporaryDirectory("tls")
        defer { directory.remove() }
        let one = try Self.makeCertificate("sluice-one", in: directory.path)
        let two = try Self.makeCertificate("sluice-two", in: directory.path)
        let cert = directory.path + "/served.crt.pem"
        let key = directory.path + "/served.key.pem"
        try FileManager.default.copyItem(atPath: one.cert, toPath: cert)
        try FileManager.default.copyItem(atPath: one.key, toPath: key)

        let server = try await SluiceServerProcess.start(arguments: ["--tls-cert", cert, "--tls-key", key])
        defer { server.stop() }
        #expect(server.url.hasPrefix("https://"))
        let first = try Self.handshake(port: server.port)
        #expect(first.contains("CN = sluice-one") || first.contains("CN=sluice-one"), "\(first)")
        #expect(first.contains("ALPN protocol: h2"), "\(first)")
        #expect(try Self.handshake(port: server.port, alpn: "http/1.1").contains("ALPN protocol: http/1.1"))
        let versions = ["--http2": "2", "--http1.1": "1.1"]
        for (flag, version) in versions {
            let reply = try Self.curl([flag, "-w", " %{http_version}", server.url + "/health"])
            #expect(reply.hasPrefix(#"{"status":"ok","#) && reply.hasSuffix("} \(version)"), "\(flag): \(reply)")
        }
        let event = #"{"type":"track","event":"Over H2","anonymousId":"a","messageId":"tls-h2-1"}"#
        let sent = try Self.curl([
            "--http2", "-u", server.writeKey + ":", "-H", "Content-Type: text/plain", "--data-binary", event,
            server.url + "/v1/t",
        ])
        #expect(sent == #"{"success":true}"#)

        // New files under the same names, then SIGHUP: the same process serves the new certificate.
        let pid = server.process.pid
        try Self.replace(cert, with: two.cert)
        try Self.replace(key, with: two.key)
        kill(pid, SIGHUP)
        try await Poll.until("the reloaded certificate to be served", timeout: .seconds(20)) {
            let seen = try Self.handshake(port: server.port)
            return seen.contains("sluice-two")
        }
        #expect(server.process.isRunning && server.process.pid == pid)
        #expect(try Self.curl(["--http2", server.url + "/health"]).hasPrefix(#"{"status":"ok","#))

        // A broken file on reload is logged; the previous certificate stays in service.
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: cert))
        kill(pid, SIGHUP)
        try await Poll.until("the failed reload to be logged", timeout: .seconds(20)) {
            server.process.log().contains("tls reload failed")
        }
        #expect(server.process.isRunning)
        #expect(try Self.handshake(port: server.port).contains("sluice-two"))

        // The event sent over HTTP/2 was stored with the peer's address (SIGTERM writes open batches).
        server.stop()
        let events = try ArchiveSnapshot.read(server.bucket).events
        #expect(events.count == 1)
        #expect(events.first?["messageId"] as? String == "tls-h2-1")
        #expect((events.first?["context"] as? [String: Any])?["ip"] as? String == "127.0.0.1")
    }

    /// Atomically puts a copy of `source` at `path`, as certificate renewal tools do.
    static func replace(_ path: String, with source: String) throws {
        let temporary = path + ".new"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.copyItem(atPath: source, toPath: temporary)
        guard rename(temporary, path) == 0 else { throw TestSupportError("rename failed: \(errno)") }
    }

    @Test func badCertificateFilesAreOneLineAndExitStatus2() throws {
        let directory = try TemporaryDirectory("tls-bad")
        defer { directory.remove() }
        let one = try Self.makeCertificate("one", in: directory.path)
        let two = try Self.makeCertificate("two", in: directory.path)
        let garbage = directory.path + "/garbage.pem"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let cases: [(cert: String, key: String, says: String)] = [
            (directory.path + "/missing.pem", one.key, "missing.pem does not exist"),
            (one.cert, directory.path + "/missing-key.pem", "missing-key.pem does not exist"),
            (garbage, one.key, "garbage.pem"),
            (one.cert, garbage, "garbage.pem is not a PEM private key"),
            (one.cert, two.key, "does not belong to the certificate"),
        ]
        for item in cases {
            let data = directory.path + "/data-\(UUID().uuidString.prefix(6))"
            let run = try runCommand(
                SluiceServerProcess.binaryPath,
                [
                    "serve", "--port", "\(try FreePort.allocate())", "--data-dir", data, "--tls-cert", item.cert,
                    "--tls-key", item.key,
                ])
            #expect(run.status == 2, "\(item.says): status \(run.status) \(run.output)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.count == 1, "one line: \(run.output)")
            #expect(run.output.contains(item.says), "\(run.output)")
            #expect(!FileManager.default.fileExists(atPath: data), "nothing was created")
        }
        let half = try runCommand(
            SluiceServerProcess.binaryPath,
            ["serve", "--port", "\(try FreePort.allocate())", "--data-dir", directory.path, "--tls-cert", one.cert])
        #expect(half.status != 0 && half.output.contains("--tls-key"), "\(half.output)")
    }
}
