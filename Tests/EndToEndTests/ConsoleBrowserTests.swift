import Foundation
import SluiceTesting
import Testing

/// The web console in a real browser: `scripts/testing/console_browser.py` drives Debian's headless Chromium at
/// 375 px against `sluice serve` and a moto S3 server, and reports what it saw; screenshots of each page land in a
/// temporary directory whose path the test prints (kept as the run's artifacts; `overview-desktop.png` is the
/// README's `docs/console-overview.png`).
@Suite(.serialized, .enabled(if: MotoServer.isInstalled)) struct ConsoleBrowserTests {
    @Test func signInCreateASourceWatchTheDebuggerAndCopyNow() async throws {
        for program in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(
                FileManager.default.isExecutableFile(atPath: program),
                "\(program) is missing: scripts/test.sh installs chromium and chromium-driver")
        }
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let server = try await SluiceServerProcess.start()
        defer { server.stop() }
        let screenshots = try TemporaryDirectory("console-screenshots").path
        print("console screenshots: \(screenshots)")
        let run = try runCommand(
            "/usr/bin/env",
            [
                "python3", PackageRoot.path + "/scripts/testing/console_browser.py", "--url", server.url, "--token",
                try server.adminToken(), "--moto", moto.endpoint, "--screenshots", screenshots,
            ])
        let line = try #require(run.output.split(separator: "\n").last, "no report: \(run.output)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(run.output)")
        #expect(report["error"] == nil, "\(report)\n\(run.output.suffix(3000))")
        #expect(run.status == 0)

        #expect((report["redirectedTo"] as? String)?.hasSuffix("/console/sign-in") == true)
        #expect((report["wrongTokenError"] as? String)?.contains("not the admin token") == true)
        #expect(report["snippetHasKeyAndHost"] as? Bool == true)
        #expect(report["sourceListed"] as? Bool == true)
        #expect(report["keyHiddenAfterReload"] as? Bool == true, "a write key is shown only once")
        #expect(report["renamed"] as? Bool == true && report["deleted"] as? Bool == true)
        #expect((report["deleteRefusedText"] as? String)?.contains("exactly to confirm") == true, "\(report)")
        #expect(report["newestFirst"] as? Bool == true)
        #expect(report["scriptShownAsText"] as? Bool == true)
        #expect(report["scriptDidNotRun"] as? Bool == true)
        #expect(report["pausedHidesEvents"] as? Bool == true)
        #expect(report["resumeShowsEvents"] as? Bool == true)
        #expect(report["filterApplied"] as? Bool == true)
        #expect(report["debuggerHidesKey"] as? Bool == true)
        #expect(report["quarantineSend"] as? Int == 200)
        let reason = report["quarantineReason"] as? String ?? ""
        #expect(reason.contains("missing_event"), "\(reason)")
        #expect(report["csrfMissingStatus"] as? Int == 403)
        #expect((report["addRefusedText"] as? String)?.isEmpty == false, "\(report)")
        #expect((report["policyFinding"] as? String)?.contains("error:") == true, "\(report)")
        #expect((report["nextCopyShown"] as? String)?.contains("UTC") == true)
        #expect(report["deliveredBefore"] as? String == "0")
        #expect((report["copyResult"] as? String)?.hasPrefix("Delivered 1 file") == true, "\(report)")
        #expect(report["deliveredAfter"] as? String == "1")
        #expect(report["secretShown"] as? Bool == false)
        #expect((report["afterSignOut"] as? String)?.hasSuffix("/console/sign-in") == true)
        #expect(report["archivePreviewEscaped"] as? Bool == true && report["archiveHidesKey"] as? Bool == true)
        #expect(Int(report["archiveCount"] as? String ?? "") ?? 0 > 0, "\(report)")
        #expect(report["overviewEvents"] as? String != nil && report["overviewDelivered"] as? String == "1")
        #expect(report["chartsLoaded"] as? Bool == true)
        #expect(
            report["tabOrder"] as? [String] == ["Overview", "Sources", "Debugger", "Destinations", "Archive", "Nodes", "Sign out"],
            "\(report["tabOrder"] ?? "")")
        // Usable at 375 px: no page is wider than the window.
        let widths = try #require(report["widths"] as? [String: Int])
        #expect(widths.count == 7)
        for (page, width) in widths { #expect(width <= 375, "\(page) is \(width) px wide") }
        for page in [
            "sign-in", "sources", "debugger", "quarantine", "destinations", "archive", "nodes", "overview",
            "overview-desktop",
        ] {
            #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(page).png"), "\(page) screenshot")
        }
    }
}
