/// How long a client may take, per phase of a connection: idle between requests, sending a request's head, and
/// between two reads of its body. A connection over any of them is closed, so slow or stalled clients cannot hold
/// sockets (and the open-files limit) forever.
public struct HTTPTimeouts: Sendable, Equatable {
    /// Keep-alive connections with no request in progress (default 60 s, like nginx's `keepalive_timeout`).
    public var idle: Duration
    /// From the first byte of a request to the end of its head (default 10 s).
    public var header: Duration
    /// The longest gap between two reads of a body (default 15 s, against a slow or stalled upload).
    public var bodyProgress: Duration
    /// After an answer that ends the connection early (413), how long the rest of the body is still read and
    /// discarded, so the client sees the answer rather than a reset (default 2 s).
    public var linger: Duration

    public init(
        idle: Duration = .seconds(60), header: Duration = .seconds(10), bodyProgress: Duration = .seconds(15),
        linger: Duration = .seconds(2)
    ) {
        self.idle = idle
        self.header = header
        self.bodyProgress = bodyProgress
        self.linger = linger
    }
}
