import Foundation

/// A throwaway single-node Ceph (one monitor, one memstore OSD, auth none) with radosgw on 127.0.0.1 and free
/// ports: the S3 server that really enforces bucket policy conditions (`apt-get install radosgw ceph-mon
/// ceph-osd ceph-common`). Every daemon runs in the foreground as a child process, so `stop()` ends them all.
///
/// ```swift
/// let rgw = try await RadosGateway.start()
/// defer { rgw.stop() }
/// // rgw.endpoint, RadosGateway.owner, RadosGateway.copier (principal RadosGateway.copierARN)
/// ```
public final class RadosGateway: @unchecked Sendable {
    /// The bucket owner's keys (user `owner`).
    public static let owner = (accessKeyID: "rgwowner", secretAccessKey: "rgwownersecret")
    /// The copy principal's keys (user `s3-copy`), the user Segment's policy grants PutObject.
    public static let copier = (accessKeyID: "rgwcopier", secretAccessKey: "rgwcopiersecret")
    /// How a bucket policy names the copy principal on radosgw (no account id).
    public static let copierARN = "arn:aws:iam:::user/s3-copy"

    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    let directory: TemporaryDirectory
    var daemons: [ChildProcess] = []

    public static var isInstalled: Bool {
        ["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph"].allSatisfy { which($0) != nil }
    }

    init(port: Int, directory: TemporaryDirectory) {
        self.port = port
        self.directory = directory
    }

    /// Starts the cluster and the gateway and creates the two users (about 20 s).
    public static func start() async throws -> RadosGateway {
        let directory = try TemporaryDirectory("rgw")
        let gateway = RadosGateway(port: try FreePort.allocate(), directory: directory)
        do {
            try await gateway.boot(monitorPort: try FreePort.allocate())
        } catch {
            gateway.stop()
            throw error
        }
        return gateway
    }

    public func stop() {
        for daemon in daemons.reversed() { daemon.terminate(grace: .seconds(3)) }
        daemons = []
        directory.remove()
    }

    var conf: String { directory.path + "/ceph.conf" }

    func boot(monitorPort: Int) async throws {
        let d = directory.path
        for sub in ["mon", "osd0", "run", "log", "rgw"] {
            try FileManager.default.createDirectory(atPath: d + "/" + sub, withIntermediateDirectories: true)
        }
        let fsid = UUID().uuidString.lowercased()
        try Self.configuration(directory: d, fsid: fsid, monitorPort: monitorPort, port: port)
            .write(toFile: conf, atomically: true, encoding: .utf8)
        // `--addv` with an explicit v1 address: `--add` on a port other than 6789 would record a v2 address.
        try tool(
            "monmaptool", ["--create", "--addv", "a", "[v1:127.0.0.1:\(monitorPort)]", "--fsid", fsid, d + "/monmap"])
        try tool("ceph-mon", ["-c", conf, "--mkfs", "-i", "a", "--monmap", d + "/monmap"])
        daemons.append(
            try ChildProcess.launch(
                which("ceph-mon") ?? "ceph-mon", ["-f", "-c", conf, "-i", "a"], logName: "ceph-mon"))
        try await Poll.until("ceph monitor", timeout: .seconds(30), every: .milliseconds(300)) {
            (try? tool("ceph", ["-c", conf, "--connect-timeout", "5", "mon", "stat"])) != nil
        }
        let osdUUID = UUID().uuidString.lowercased()
        let id = try tool("ceph", ["-c", conf, "osd", "new", osdUUID]).trimmingCharacters(in: .whitespacesAndNewlines)
        // Placed in the CRUSH map from here: with auth none, the OSD's own start-up crush update can race the
        // fresh monitor ("wrong fsid") and make it exit.
        try tool("ceph", ["-c", conf, "osd", "crush", "add", "osd.\(id)", "1.0", "root=default", "host=localhost"])
        try tool("ceph-osd", ["-c", conf, "-i", id, "--mkfs", "--osd-uuid", osdUUID])
        try await startOSD(id)
        for pool in [
            ".rgw.root", "default.rgw.control", "default.rgw.meta", "default.rgw.log", "default.rgw.buckets.index",
            "default.rgw.buckets.data", "default.rgw.buckets.non-ec",
        ] {
            try tool("ceph", ["-c", conf, "osd", "pool", "create", pool, "8", "8"])
            try tool("ceph", ["-c", conf, "osd", "pool", "application", "enable", pool, "rgw"])
        }
        daemons.append(
            try ChildProcess.launch(
                which("radosgw") ?? "radosgw", ["-f", "-c", conf, "-n", "client.rgw.a"], logName: "radosgw"))
        try await Poll.until("radosgw on port \(port)", timeout: .seconds(90), every: .milliseconds(300)) {
            FreePort.isListening(port)
        }
        try tool(
            "radosgw-admin",
            [
                "-c", conf, "user", "create", "--uid", "owner", "--display-name", "owner",
                "--access-key", Self.owner.accessKeyID, "--secret", Self.owner.secretAccessKey,
            ])
        try tool(
            "radosgw-admin",
            [
                "-c", conf, "user", "create", "--uid", "s3-copy", "--display-name", "s3-copy",
                "--access-key", Self.copier.accessKeyID, "--secret", Self.copier.secretAccessKey,
            ])
    }

    /// The OSD sometimes exits at start against a monitor that has just formed; try again a few times.
    func startOSD(_ id: String) async throws {
        for _ in 0..<4 {
            let osd = try ChildProcess.launch(
                which("ceph-osd") ?? "ceph-osd", ["-f", "-c", conf, "-i", id], logName: "ceph-osd")
            do {
                try await Poll.until("osd.\(id) up", timeout: .seconds(40), every: .milliseconds(500)) {
                    guard osd.isRunning else { throw TestSupportError("osd exited") }
                    return (try? tool("ceph", ["-c", conf, "osd", "stat"]))?.contains("1 up") == true
                }
                daemons.append(osd)
                return
            } catch {
                osd.terminate(grace: .seconds(2))
            }
        }
        throw TestSupportError("osd.\(id) did not come up; see \(directory.path)/log")
    }

    @discardableResult
    func tool(_ name: String, _ arguments: [String]) throws -> String {
        let (status, output) = try runCommand(which(name) ?? name, arguments)
        guard status == 0 else {
            throw TestSupportError("\(name) \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }

    static func configuration(directory d: String, fsid: String, monitorPort: Int, port: Int) -> String {
        """
        [global]
        fsid = \(fsid)
        mon host = v1:127.0.0.1:\(monitorPort)
        public network = 127.0.0.0/8
        auth cluster required = none
        auth service required = none
        auth client required = none
        auth supported = none
        ms bind ipv4 = true
        ms bind ipv6 = false
        run dir = \(d)/run
        admin socket = \(d)/run/$name.asok
        log file = \(d)/log/$name.log
        osd pool default size = 1
        osd pool default min size = 1
        osd pool default pg num = 8
        osd pool default pgp num = 8
        osd pool default pg autoscale mode = off
        mon allow pool size one = true
        mon warn on pool no redundancy = false
        mon max pg per osd = 1000
        osd crush chooseleaf type = 0
        [mon.a]
        mon data = \(d)/mon
        [osd.0]
        osd data = \(d)/osd0
        osd objectstore = memstore
        memstore device bytes = 1073741824
        osd max object name len = 460
        osd max object namespace len = 64
        osd class update on start = false
        osd crush update on start = false
        [client.rgw.a]
        rgw frontends = beast endpoint=127.0.0.1:\(port) tcp_nodelay=1
        rgw data = \(d)/rgw
        rgw dns name = localhost
        rgw crypt require ssl = false

        """
    }
}
