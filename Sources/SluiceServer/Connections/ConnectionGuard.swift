import HTTPTypes
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOHTTPTypes

/// Per-connection guard, placed after HTTP decoding: enforces `HTTPTimeouts` (with a raw-bytes watcher at the
/// front of the pipeline, so a head sent byte by byte is seen), answers `Expect: 100-continue` (unless the
/// declared body is over the limit: the route then answers 413 at once), and closes the connection after an
/// answer that says `Connection: close`, reading and discarding the rest of the body for `linger` first so the
/// client gets the answer, not a reset.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: ConnectionRegistry
    private let maxBodyBytes: Int
    private let logger: Logger
    private var phases: ConnectionPhases
    private var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?
    private var closeAfterResponse = false
    private var closing = false

    init(timeouts: HTTPTimeouts, registry: ConnectionRegistry, maxBodyBytes: Int, logger: Logger) {
        self.registry = registry
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.phases = ConnectionPhases(timeouts: timeouts, now: .now)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(ByteArrivalWatcher(owner: self), position: .first)
        registry.opened(context.channel, idle: true)
        phases = ConnectionPhases(timeouts: phases.timeouts, now: .now)
        reschedule(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.closed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    /// Called by the watcher for every raw read.
    func bytesArrived(context: ChannelHandlerContext) {
        let wasIdle = phases.isIdle
        phases.bytesArrived(.now)
        if wasIdle {
            registry.setIdle(context.channel, false)
            reschedule(context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            phases.headReceived(.now)
            reschedule(context)
            if head.headerFields[.expect]?.lowercased() == "100-continue", !declaresOversizedBody(head) {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            phases.bodyRead(.now)
        case .end:
            phases.requestEnded()
            reschedule(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch part {
        case .head(var head) where head.status.kind != .informational:
            guard head.headerFields[.connection]?.lowercased() == "close" else { break }
            guard !isHTTP2Stream(context.channel) else {
                // HTTP/2 forbids connection headers (the codec would refuse the whole head and reset the stream);
                // the stream ends with the answer anyway.
                head.headerFields[.connection] = nil
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            closeAfterResponse = true
        case .end:
            phases.responseEnded(.now)
            registry.setIdle(context.channel, phases.isIdle)
            reschedule(context)
            if closeAfterResponse {
                context.write(data, promise: promise)
                context.flush()
                closeAfterAnswer(context)
                return
            }
        default: break
        }
        context.write(data, promise: promise)
    }

    /// HTTP/2 streams are children of a connection channel, itself a child of the listener; an HTTP/1.1 connection
    /// is a direct child of the listener.
    private func isHTTP2Stream(_ channel: any Channel) -> Bool { channel.parent?.parent != nil }

    private func declaresOversizedBody(_ head: HTTPRequest) -> Bool {
        guard let length = head.headerFields[.contentLength].flatMap({ Int($0) }) else { return false }
        return length > maxBodyBytes
    }

    /// Half-closes (FIN after the answer), keeps reading what the client still sends for `linger`, then closes.
    private func closeAfterAnswer(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        let loop = context.eventLoop
        let halfClosed = loop.makePromise(of: Void.self)
        context.close(mode: .output, promise: halfClosed)
        let failed = NIOLoopBound(context, eventLoop: loop)
        halfClosed.futureResult.whenFailure { _ in failed.value.close(promise: nil) }
        let linger = phases.timeouts.linger
        let bound = NIOLoopBound(context, eventLoop: loop)
        _ = loop.assumeIsolated().scheduleTask(in: .init(linger)) { bound.value.close(promise: nil) }
    }

    private func reschedule(_ context: ChannelHandlerContext) {
        guard let deadline = phases.deadline?.at else {
            timer?.cancel()
            (timer, timerDeadline) = (nil, nil)
            return
        }
        if let timerDeadline, timerDeadline <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .init(deadline - .now)) { [self] in
            timer = nil
            timerDeadline = nil
            if let reason = phases.expired(at: .now) {
                expire(context, reason)
            } else {
                reschedule(context)
            }
        }
    }

    private func expire(_ context: ChannelHandlerContext, _ reason: ConnectionPhases.Expiry) {
        Counter(label: "sluice_http_connections_timed_out_total", dimensions: [("phase", reason.rawValue)]).increment()
        let level: Logger.Level = reason == .idle ? .debug : .info
        logger.log(
            level: level, "closing connection: \(reason.rawValue) timeout",
            metadata: ["http.peer": "\(context.channel.remoteAddress?.description ?? "?")"])
        context.close(promise: nil)
    }
}

/// Sits at the front of the pipeline and tells the guard about every read, before any decoding.
final class ByteArrivalWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private weak var owner: ConnectionGuard?
    private var guardContext: ChannelHandlerContext?

    init(owner: ConnectionGuard) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let owner {
            if guardContext == nil { guardContext = try? context.pipeline.syncOperations.context(handler: owner) }
            if let guardContext { owner.bytesArrived(context: guardContext) }
        }
        context.fireChannelRead(data)
    }
}

extension HTTP1Channel.Configuration {
    /// HTTP/1.1 (or HTTP/2 stream) configuration with Sluice's connection guard: timeouts, `100 Continue`, and
    /// closing after `Connection: close`.
    ///
    /// ```swift
    /// Application(router: router, server: .http1(configuration: .guarded(
    ///     timeouts: HTTPTimeouts(), registry: registry, maxBodyBytes: TrackingAPI.maxWireBytes(IngestLimits()),
    ///     logger: logger)))
    /// ```
    public static func guarded(
        timeouts: HTTPTimeouts, registry: ConnectionRegistry, maxBodyBytes: Int, logger: Logger
    ) -> HTTP1Channel.Configuration {
        .init(additionalChannelHandlers: [
            ConnectionGuard(timeouts: timeouts, registry: registry, maxBodyBytes: maxBodyBytes, logger: logger)
        ])
    }
}
