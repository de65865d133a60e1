import Foundation
import SluiceTesting
import Testing

/// An open live-debugger stream must not hold `sluice serve` up on SIGTERM: the stream ends on graceful shutdown,
/// the open batch is stored and the process exits 0 (without it, the stop waited out its grace and used SIGKILL).
@Suite(.serialized) struct ConsoleShutdownTests {
    @Test func aGracefulStopEndsAnOpenDebuggerStream() async throws {
        let curl = try #require(which("curl"), "curl is missing: scripts/test.sh installs it")
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let dir = try TemporaryDirectory("console-shutdown")
        defer { dir.remove() }
        let jar = dir.path + "/cookies"
        let signIn = try runCommand(
            curl,
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-c", jar, "--data-urlencode",
                "token=\(try server.adminToken())", server.url + "/console/sign-in",
            ])
        #expect(signIn.output == "303", "\(signIn.output)")
        let stream = try ChildProcess.launch(
            curl, ["-sN", "-b", jar, server.url + "/console/api/sources/default/events"], logName: "console-sse")
        defer { stream.terminate() }
        try await Poll.until("the debugger stream to open", timeout: .seconds(20)) {
            stream.log().contains(": connected")
        }
        let sent = try await HTTP.post(
            server.url + "/v1/track", json: #"{"userId":"u1","event":"Before Stop","messageId":"shutdown-1"}"#,
            headers: [HTTP.basic(server.writeKey)])
        #expect(sent.status == 200)
        try await Poll.until("the event on the stream", timeout: .seconds(20)) {
            stream.log().contains(#""messageId":"shutdown-1""#)
        }

        server.stop()
        #expect(server.process.wait() == 0, "sluice serve exited by itself, not by SIGKILL")
        #expect(stream.wait() == 0, "the stream ended cleanly")
        #expect(server.bucketFiles().count == 1, "the open batch was stored on the way out")
    }
}
