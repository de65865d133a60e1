import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Synchronization

/// Every open HTTP connection and whether it is idle, shared by the connections' handlers (on their event loops)
/// and the accept loop's cap: when the cap is reached, the longest-idle keep-alive connections are closed to make
/// room, so a flood of idle sockets delays new clients by one accept, not by the idle timeout.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        var idleSince: ContinuousClock.Instant?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    let open = Gauge(label: "sluice_http_connections")

    public init() {}

    func opened(_ channel: any Channel, idle: Bool) {
        let count = entries.withLock { entries in
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: idle ? .now : nil)
            return entries.count
        }
        open.record(count)
    }

    func closed(_ channel: any Channel) {
        let count = entries.withLock { entries in
            entries.removeValue(forKey: ObjectIdentifier(channel))
            return entries.count
        }
        open.record(count)
    }

    func setIdle(_ channel: any Channel, _ idle: Bool) {
        entries.withLock { entries in
            entries[ObjectIdentifier(channel)]?.idleSince = idle ? .now : nil
        }
    }

    /// Open connections now.
    public var count: Int { entries.withLock { $0.count } }

    /// Closes up to `count` of the longest-idle connections; returns how many it closed.
    @discardableResult
    func closeIdle(count: Int) -> Int {
        let victims = entries.withLock { entries in
            entries.values.compactMap { entry in entry.idleSince.map { (entry.channel, $0) } }
                .sorted { $0.1 < $1.1 }.prefix(count).map(\.0)
        }
        for channel in victims { channel.close(promise: nil) }
        return victims.count
    }
}

/// Caps open connections (Hummingbird stops accepting at the cap); reaching it logs a warning (at most every
/// 10 s), counts `sluice_http_connection_cap_reached_total`, and closes idle keep-alive connections to make room.
public struct ConnectionCap: AvailableConnectionsDelegate {
    let maximum: Int
    let registry: ConnectionRegistry
    let logger: Logger
    var count = 0
    let warnings: RateLimitedLog

    public init(maximum: Int, registry: ConnectionRegistry, logger: Logger) {
        self.maximum = max(1, maximum)
        self.registry = registry
        self.logger = logger
        self.warnings = RateLimitedLog(
            level: .warning,
            message: "connection cap reached: closing idle connections, new ones wait (raise http.maxConnections?)")
    }

    public mutating func connectionOpened() {
        count += 1
        guard count >= maximum else { return }
        Counter(label: "sluice_http_connection_cap_reached_total").increment()
        // Room for the next few clients: an eighth of the cap, at least one.
        let closed = registry.closeIdle(count: max(1, maximum / 8))
        warnings.note(ConnectionCapReached(maximum: maximum, closedIdle: closed), logger: logger)
    }

    public mutating func connectionClosed() {
        count -= 1
    }

    public func isAcceptingNewConnections() -> Bool {
        count < maximum
    }
}

struct ConnectionCapReached: Error, CustomStringConvertible {
    let maximum: Int
    let closedIdle: Int
    var description: String { "\(maximum) connections open; closed \(closedIdle) idle ones" }
}
