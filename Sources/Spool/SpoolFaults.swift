import Synchronization

/// Test hook: makes one fdatasync of the writer fail with EIO, as a failing disk would. Only tests set it
/// (`SpoolConfiguration.faults` is internal), so production commits never consult anything but the kernel.
final class SpoolFaults: Sendable {
    private let syncsBeforeFailure: Mutex<Int>

    /// The sync after `syncsBeforeFailure` successful ones fails; every later one fails too.
    init(failSyncAfter syncsBeforeFailure: Int) {
        self.syncsBeforeFailure = Mutex(syncsBeforeFailure)
    }

    func checkSync(_ path: String) throws(SpoolError) {
        let fail = syncsBeforeFailure.withLock { remaining in
            remaining -= 1
            return remaining < 0
        }
        if fail { throw SpoolError(.io, "injected fdatasync failure on \(path)", errno: 5) }
    }
}
