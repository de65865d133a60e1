import Foundation

extension PostgresServer {
    /// `pg_ctl stop -m fast`: the clean shutdown an operator's restart does (sessions are ended, a checkpoint is
    /// written); waits until the postmaster has exited. `restart()` starts it again on the same port and data.
    public func stopFast() throws {
        let result = try Self.run("pg_ctl", ["stop", "-D", directory + "/data", "-m", "fast", "-w", "-t", "60"])
        guard result.status == 0 else { throw TestSupportError("pg_ctl stop failed: \(result.output)") }
        if let child = postmaster.withLock({ $0 }) { child.terminate(grace: .seconds(10)) }
        postmaster.withLock { $0 = nil }
    }

    /// True between `stopFast()` (or `stop(removing: false)`) and `restart()`.
    public var isStopped: Bool { postmaster.withLock { $0 == nil } }

    /// Freezes the postmaster and every backend (SIGSTOP by process id): connections stay open but nothing answers,
    /// as with a server that hangs or a network that drops packets. `resume()` lets them go on.
    public func pause() throws {
        try signalAll(SIGSTOP)
    }

    public func resume() throws {
        try signalAll(SIGCONT)
    }

    /// The postmaster (from its pid file) and its children (from /proc), signalled by pid.
    func signalAll(_ signal: Int32) throws {
        let pidFile = try String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)
        guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw TestSupportError("no postmaster pid in \(directory)/data/postmaster.pid")
        }
        var pids = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) state ppid": the parent's pid is the second field after the command.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == postmaster { pids.append(pid) }
        }
        for pid in pids { _ = kill(pid, signal) }
    }
}
