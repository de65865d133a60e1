import Glibc

/// Names the calling thread, as `top -H`, `perf` and `/proc/PID/task/*/comm` show it (Linux keeps 15 bytes).
/// Foundation's `Thread.name` set before `start()` does not reach the OS thread on Linux, and glibc's
/// `pthread_setname_np` is not visible to Swift, so this writes `/proc/thread-self/comm`. Best effort.
enum ThreadName {
    static func set(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
