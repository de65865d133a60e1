import Synchronization

/// The console's signed-in sessions, kept in memory on this node: a random 256-bit id (the cookie) maps to a
/// per-session CSRF token and the last time the session was used. A session idle longer than `idleMilliseconds`
/// is gone; so are all sessions when the process restarts (signing in again is cheap: it takes the admin token).
///
/// ```swift
/// let sessions = ConsoleSessions(now: now)
/// let session = sessions.create()
/// sessions.session(id: session.id)?.csrf == session.csrf  // true until it idles out or signs out
/// ```
public final class ConsoleSessions: Sendable {
    /// One session. Neither field is ever logged.
    public struct Session: Sendable, Equatable {
        public let id: String
        public let csrf: String
        var lastUsedMilliseconds: Int64
    }

    /// Twelve hours without a request ends a session.
    public static let defaultIdleMilliseconds: Int64 = 12 * 60 * 60 * 1000
    /// More live sessions than this evicts the least recently used (a cap on memory, not a limit anyone meets).
    static let maximumCount = 1_000

    let idleMilliseconds: Int64
    let now: @Sendable () -> Int64
    let sessions = Mutex<[String: Session]>([:])

    public init(idleMilliseconds: Int64 = defaultIdleMilliseconds, now: @escaping @Sendable () -> Int64) {
        self.idleMilliseconds = idleMilliseconds
        self.now = now
    }

    /// Starts a session with fresh random id and CSRF token.
    public func create() -> Session {
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), lastUsedMilliseconds: now())
        let time = session.lastUsedMilliseconds
        sessions.withLock { all in
            all = all.filter { time - $0.value.lastUsedMilliseconds < idleMilliseconds }
            if all.count >= Self.maximumCount,
                let oldest = all.min(by: { $0.value.lastUsedMilliseconds < $1.value.lastUsedMilliseconds })
            {
                all[oldest.key] = nil
            }
            all[session.id] = session
        }
        return session
    }

    /// The live session with this id, its idle clock restarted; nil when unknown or idle too long.
    public func session(id: String) -> Session? {
        guard id.utf8.count == 64 else { return nil }
        let time = now()
        return sessions.withLock { all in
            guard var session = all[id] else { return nil }
            guard time - session.lastUsedMilliseconds < idleMilliseconds else {
                all[id] = nil
                return nil
            }
            session.lastUsedMilliseconds = time
            all[id] = session
            return session
        }
    }

    /// Ends a session (sign-out).
    public func remove(id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// 256 random bits from the system's cryptographic generator, as 64 lowercase hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(64)
        for _ in 0..<4 {
            let word = generator.next()
            let hex = String(word, radix: 16)
            out += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return out
    }
}
