import Foundation
import Synchronization

/// A throwaway PostgreSQL 15 cluster from Debian's packages (`/usr/lib/postgresql/15/bin`) on 127.0.0.1 with a free
/// port, for tests. `initdb` refuses to run as root, so as root every PostgreSQL command runs as the unprivileged
/// `postgres` user (`runuser`). Password authentication (scram) over TCP; fsync off (a test cluster).
///
/// ```swift
/// let postgres = try await PostgresServer.start()
/// defer { postgres.stop() }
/// let url = postgres.url(database: "sluice")   // postgres://sluice_test:...@127.0.0.1:PORT/sluice?sslmode=disable
/// ```
public final class PostgresServer: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    /// The superuser tests connect as, and its password.
    public static let user = "sluice_test"
    public static let password = "sluice-test-password"

    public let port: Int
    /// Holds `data/`, the socket and the server log.
    public let directory: String
    let postmaster = Mutex<ChildProcess?>(nil)

    init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
    }

    /// True when Debian's PostgreSQL 15 server binaries are installed (`postgresql-15`).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binaries + "/initdb") }

    /// `postgres://USER[:PASSWORD]@127.0.0.1:PORT/DATABASE?sslmode=disable`; `password` nil leaves it out (for
    /// `PGPASSWORD`).
    public func url(database: String = "postgres", password: String? = PostgresServer.password) -> String {
        let credentials = password.map { "\(Self.user):\($0)" } ?? Self.user
        return "postgres://\(credentials)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Creates a cluster in a new temporary directory and starts it.
    public static func start() async throws -> PostgresServer {
        guard isInstalled else {
            throw TestSupportError("PostgreSQL 15 not found in \(binaries); apt-get install postgresql-15")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-pg-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let passwordFile = directory + "/pw"
        try Data(password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        if getuid() == 0 {
            for path in [directory, passwordFile] {
                _ = try runCommand("/bin/chown", ["postgres:postgres", path])
            }
        }
        _ = chmod(directory, 0o700)
        let initdb = try run(
            "initdb",
            [
                "-D", directory + "/data", "-U", user, "--pwfile=" + passwordFile, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
            ])
        guard initdb.status == 0 else { throw TestSupportError("initdb failed: \(initdb.output)") }
        let server = PostgresServer(port: try FreePort.allocate(), directory: directory)
        try await server.startServer()
        return server
    }

    /// Starts the server again after `stop(removing: false)`, on the same port and data.
    public func restart() async throws {
        try await startServer()
    }

    func startServer() async throws {
        // The postmaster runs in the foreground as a child of this process (pg_ctl's daemonized server would
        // outlive a crashed test run unnoticed).
        let arguments = [
            "-D", directory + "/data", "-p", "\(port)", "-c", "listen_addresses=127.0.0.1", "-k", directory,
            // fsync off is safe for tests that kill PostgreSQL (the page cache survives a process crash);
            // synchronous_commit stays on, or a kill would lose commits already acknowledged.
            "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200",
        ]
        let path = Self.binaries + "/postgres"
        let child =
            getuid() == 0
            ? try ChildProcess.launch(
                "/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments, logName: "postgres")
            : try ChildProcess.launch(path, arguments, logName: "postgres")
        postmaster.withLock { $0 = child }
        try await Poll.until("PostgreSQL on port \(port)", timeout: .seconds(30)) {
            guard child.isRunning else { throw TestSupportError("postgres exited: \(child.log().suffix(2000))") }
            // Listening is not ready: until recovery ends, connections get "the database system is starting up".
            guard FreePort.isListening(port) else { return false }
            return try Self.run("pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-q"]).status == 0
        }
    }

    /// Creates a database owned by the test user.
    public func createDatabase(_ name: String) throws {
        let result = try Self.run(
            "createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, name],
            environment: ["PGPASSWORD": Self.password])
        guard result.status == 0 else { throw TestSupportError("createdb \(name) failed: \(result.output)") }
    }

    /// Runs `sql` with psql in `database` and returns its unaligned, tuples-only output (for tests that look at
    /// what is stored, beneath the catalog's API).
    public func psql(_ sql: String, database: String) throws -> String {
        let result = try Self.run(
            "psql",
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, database],
            environment: ["PGPASSWORD": Self.password])
        guard result.status == 0 else { throw TestSupportError("psql failed: \(result.output)") }
        return result.output
    }

    /// Stops the server at once, as a crash would (SIGQUIT to the postmaster: immediate shutdown, no
    /// checkpoint); `removing` also deletes the cluster.
    public func stop(removing: Bool = true) {
        if let child = postmaster.withLock({ $0 }) {
            let pidFile = (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)) ?? ""
            if let pid = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) { _ = kill(pid, SIGQUIT) }
            child.terminate(grace: .seconds(10))
            postmaster.withLock { $0 = nil }
        }
        if removing { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs a PostgreSQL binary, as the `postgres` user when this process is root.
    static func run(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        let path = binaries + "/" + binary
        if getuid() == 0 {
            return try runCommand(
                "/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments, environment: environment)
        }
        return try runCommand(path, arguments, environment: environment)
    }
}
