import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The shared part of a spool: state under one lock, and the signals between appenders and the writer thread.
/// `Spool` is its public face; the writer thread (`SpoolWriter`) keeps it alive until it exits.
final class SpoolCore: Sendable {
    let configuration: SpoolConfiguration
    let logger: Logger
    let state: Mutex<SpoolState>
    /// Signalled when work arrives for a sleeping writer.
    let wakeup = DispatchSemaphore(value: 0)
    /// Entered while the writer thread runs.
    let writerRunning = DispatchGroup()
    let directoryFD: Int32
    /// Keeps a zero-filled spare segment ready for the next roll; nil when preallocation is off.
    let preparer: SegmentPreparer?

    init(
        configuration: SpoolConfiguration, logger: Logger, state: SpoolState, directoryFD: Int32,
        preparer: SegmentPreparer?
    ) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(state)
        self.directoryFD = directoryFD
        self.preparer = preparer
    }

    deinit { Glibc.close(directoryFD) }

    func path(_ fileName: String) -> String { configuration.directory + "/" + fileName }

    /// Queues an entry for the writer, or resumes its waiter at once with the reason it is refused.
    func enqueue(_ entry: CommitQueue<AppendWaiter>.Entry) {
        let action = state.withLock { state -> CommitQueue<AppendWaiter>.EnqueueAction in
            if let error = state.admissionError(configuration, quota: entry.quota) { return .reject(error) }
            return state.queue.enqueue(entry)
        }
        switch action {
        case .wakeWriter: wakeup.signal()
        case .none: break
        case .reject(let error): entry.waiter.resume(returning: .failure(error))
        }
    }

    /// Lets the writer commit what is queued, waits for it to exit, and unlocks the directory. Idempotent.
    func close() {
        if state.withLock({ $0.queue.close() }) { wakeup.signal() }
        writerRunning.wait()
        preparer?.stop()
        let lockFD = state.withLock { state in
            defer { state.lockFD = -1 }
            return state.lockFD
        }
        if lockFD >= 0 { Glibc.close(lockFD) }
    }
}
