/// The deadline of one HTTP connection, as a pure state machine over explicit instants: a connection waits for a
/// request (idle until its first byte arrives, then the header timeout runs), reads its body (each read restarts
/// the body timeout), and has no deadline while the server handles the request and answers.
struct ConnectionPhases: Sendable, Equatable {
    typealias Instant = ContinuousClock.Instant

    enum Phase: Sendable, Equatable {
        case waiting(since: Instant, firstByte: Instant?)
        case readingBody(lastRead: Instant)
        case handling(nextRequestBytes: Instant?)
    }

    /// Why a connection was closed (a metric label and a log field).
    enum Expiry: String, Sendable, Equatable {
        case idle, header, body
    }

    let timeouts: HTTPTimeouts
    private(set) var phase: Phase

    init(timeouts: HTTPTimeouts, now: Instant) {
        self.timeouts = timeouts
        self.phase = .waiting(since: now, firstByte: nil)
    }

    /// Whether the connection waits for a request and has received nothing of it (it may be closed to make room).
    var isIdle: Bool {
        if case .waiting(_, nil) = phase { return true }
        return false
    }

    /// When the connection expires, and why; nil while the server is handling a request.
    var deadline: (at: Instant, reason: Expiry)? {
        switch phase {
        case .waiting(let since, nil): (since + timeouts.idle, .idle)
        case .waiting(_, let first?): (first + timeouts.header, .header)
        case .readingBody(let last): (last + timeouts.bodyProgress, .body)
        case .handling: nil
        }
    }

    /// Raw bytes arrived (before HTTP decoding).
    mutating func bytesArrived(_ now: Instant) {
        switch phase {
        case .waiting(let since, nil): phase = .waiting(since: since, firstByte: now)
        case .waiting: break
        case .readingBody: phase = .readingBody(lastRead: now)
        case .handling(nil): phase = .handling(nextRequestBytes: now)
        case .handling: break
        }
    }

    mutating func headReceived(_ now: Instant) { phase = .readingBody(lastRead: now) }

    mutating func bodyRead(_ now: Instant) {
        if case .readingBody = phase { phase = .readingBody(lastRead: now) }
    }

    mutating func requestEnded() {
        if case .readingBody = phase { phase = .handling(nextRequestBytes: nil) }
    }

    /// The answer is written: wait for the next request (whose bytes may already have arrived, pipelined).
    mutating func responseEnded(_ now: Instant) {
        switch phase {
        case .handling(let next): phase = .waiting(since: now, firstByte: next.map { _ in now })
        case .readingBody:
            // Answered before the body was read (an early 413): the body keeps its own deadline.
            break
        case .waiting: phase = .waiting(since: now, firstByte: nil)
        }
    }

    /// The expiry reason when `now` is past the deadline.
    func expired(at now: Instant) -> Expiry? {
        guard let deadline, now >= deadline.at else { return nil }
        return deadline.reason
    }
}
