import Synchronization

/// Whether the catalog's database answers, as the calls a node makes see it: the root hands one to the catalog it
/// opens and reads it for `/healthz`, `/admin/status` and `/metrics`.
///
/// A call that reaches the database and gets an answer (even a refusal such as a duplicate name) is a success; a
/// call that cannot reach it (refused connection, lost connection, no answer within the statement timeout) is a
/// failure. The first failure after a success starts an outage (`unreachableSinceMilliseconds`); the next success
/// ends it.
///
/// ```swift
/// let health = CatalogHealth()
/// health.failed(atMilliseconds: now(), message: "connection refused")
/// health.snapshot.isUp  // false
/// ```
public final class CatalogHealth: Sendable {
    /// What the health routes show.
    public struct Snapshot: Sendable, Equatable {
        /// When the current outage began; nil while the database answers.
        public var unreachableSinceMilliseconds: Int64?
        /// The last call that got an answer; nil before the first.
        public var lastSuccessMilliseconds: Int64?
        /// Why the last failed call failed (for the admin status and the log, not the public health route).
        public var lastError: String?
        /// Calls that could not reach the database, since the start.
        public var errorCount: Int

        public init(
            unreachableSinceMilliseconds: Int64? = nil, lastSuccessMilliseconds: Int64? = nil, lastError: String? = nil,
            errorCount: Int = 0
        ) {
            self.unreachableSinceMilliseconds = unreachableSinceMilliseconds
            self.lastSuccessMilliseconds = lastSuccessMilliseconds
            self.lastError = lastError
            self.errorCount = errorCount
        }

        /// True while no outage is going on.
        public var isUp: Bool { unreachableSinceMilliseconds == nil }
    }

    let state = Mutex(Snapshot())

    public init() {}

    /// A call got an answer: any outage is over.
    public func succeeded(atMilliseconds time: Int64) {
        state.withLock { state in
            state.unreachableSinceMilliseconds = nil
            state.lastSuccessMilliseconds = max(state.lastSuccessMilliseconds ?? time, time)
        }
    }

    /// A call could not reach the database; `message` must hold no secret.
    public func failed(atMilliseconds time: Int64, message: String) {
        state.withLock { state in
            if state.unreachableSinceMilliseconds == nil { state.unreachableSinceMilliseconds = time }
            state.lastError = message
            state.errorCount += 1
        }
    }

    public var snapshot: Snapshot { state.withLock { $0 } }
}
