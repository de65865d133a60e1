/// The deadline of one HTTP connection, as a pure state machine over explicit instants: a connection waits for a
/// request (idle until its first byte arrives, then the header timeout runs), reads a body (each read restarts the
/// body timeout), and has no deadline while a request it read is still unanswered. Pipelined requests count: the
/// connection is idle again only when every request it read has been answered.
struct ConnectionPhases: Sendable, Equatable {
    typealias Instant = ContinuousClock.Instant

    /// Why a connection was closed (a metric label and a log field).
    enum Expiry: String, Sendable, Equatable {
        case idle, header, body
    }

    let timeouts: HTTPTimeouts
    /// Requests whose head was read and whose answer has not ended.
    private(set) var inFlight = 0
    /// The last read of the body being read, if one is.
    private var bodyLastRead: Instant?
    /// When the connection last had nothing to do.
    private var waitingSince: Instant
    /// The first byte of a head not complete yet.
    private var firstByte: Instant?

    init(timeouts: HTTPTimeouts, now: Instant) {
        self.timeouts = timeouts
        self.waitingSince = now
    }

    /// Whether the connection has nothing in progress and has received nothing of a next request (so it may be
    /// closed to make room).
    var isIdle: Bool { inFlight == 0 && bodyLastRead == nil && firstByte == nil }

    /// When the connection expires, and why; nil while a request is being handled.
    var deadline: (at: Instant, reason: Expiry)? {
        if let bodyLastRead { return (bodyLastRead + timeouts.bodyProgress, .body) }
        if inFlight > 0 { return nil }
        if let firstByte { return (firstByte + timeouts.header, .header) }
        return (waitingSince + timeouts.idle, .idle)
    }

    /// Raw bytes arrived (before HTTP decoding).
    mutating func bytesArrived(_ now: Instant) {
        if bodyLastRead != nil {
            bodyLastRead = now
        } else if firstByte == nil {
            firstByte = now
        }
    }

    mutating func headReceived(_ now: Instant) {
        inFlight += 1
        firstByte = nil
        bodyLastRead = now
    }

    mutating func bodyRead(_ now: Instant) {
        if bodyLastRead != nil { bodyLastRead = now }
    }

    mutating func requestEnded() { bodyLastRead = nil }

    /// An answer ended. When it was the last one owed, the connection waits again (for the header timeout if the
    /// next request's bytes already arrived).
    mutating func responseEnded(_ now: Instant) {
        inFlight = max(0, inFlight - 1)
        guard inFlight == 0 else { return }
        waitingSince = now
        if firstByte != nil { firstByte = now }
    }

    /// The expiry reason when `now` is past the deadline.
    func expired(at now: Instant) -> Expiry? {
        guard let deadline, now >= deadline.at else { return nil }
        return deadline.reason
    }
}
