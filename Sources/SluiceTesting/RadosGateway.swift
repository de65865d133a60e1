import Foundation

/// A throwaway one-node Ceph cluster (monitor, memstore OSD, radosgw) on 127.0.0.1 with free ports, started by
/// `scripts/testing/ceph-rgw-up.sh` (about 20 s) and stopped by `ceph-rgw-down.sh`.
///
/// S3 users: `owner` (rgwtest/rgwsecret) and `writer` (copyuser/copysecret). The testing KMS backend knows the
/// keys `testkey-1` and `testkey-2`.
///
/// ```swift
/// guard RadosGateway.isInstalled else { return }
/// let rgw = try await RadosGateway.start()
/// defer { rgw.stop() }
/// ```
public final class RadosGateway: Sendable {
    public static let owner = (accessKeyID: "rgwtest", secretAccessKey: "rgwsecret")
    public static let writer = (accessKeyID: "copyuser", secretAccessKey: "copysecret")

    public let port: Int
    public let directory: String

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
    }

    /// True when the Ceph daemons are installed (`apt-get install radosgw ceph-mon ceph-osd ceph-common`).
    public static var isInstalled: Bool {
        ["radosgw", "ceph-mon", "ceph-osd", "ceph", "radosgw-admin", "monmaptool"].allSatisfy {
            which($0) != nil || FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)")
        }
    }

    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/testing")

    /// Starts the cluster; `apiName` becomes the zonegroup's api_name (what GetBucketLocation answers).
    public static func start(apiName: String? = "us-east-1") async throws -> RadosGateway {
        let port = try FreePort.allocate()
        let monitorPort = try FreePort.allocate()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-ceph-\(UUID().uuidString.prefix(8))").path
        let gateway = RadosGateway(port: port, directory: directory)
        let child = try ChildProcess.launch(
            "/bin/bash",
            [scripts.appendingPathComponent("ceph-rgw-up.sh").path, directory, "\(port)", "\(monitorPort)"],
            environment: apiName.map { ["RGW_API_NAME": $0] } ?? [:], logName: "ceph-rgw-up")
        do {
            try await Poll.until("ceph-rgw-up.sh", timeout: .seconds(240), every: .milliseconds(200)) {
                !child.isRunning
            }
        } catch {
            child.terminate()
            gateway.stop()
            throw error
        }
        guard child.wait() == 0 else {
            let log = child.log()
            gateway.stop()
            throw TestSupportError("Ceph did not start: \(log)")
        }
        return gateway
    }

    /// Stops the daemons by the PIDs in their pid files and removes the directory.
    public func stop() {
        _ = try? runCommand("/bin/bash", [Self.scripts.appendingPathComponent("ceph-rgw-down.sh").path, directory])
    }
}
