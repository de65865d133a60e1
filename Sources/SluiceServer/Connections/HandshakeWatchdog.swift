import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOSSL
import NIOTLS

/// TLS connections get their HTTP pipeline (and so their `ConnectionGuard`) only once the handshake and protocol
/// negotiation are done. Until then this watchdog, placed right after the TLS handler, holds the connection in the
/// registry as idle (so the connection cap can close it) and closes it if the handshake has not completed within
/// the header timeout; on completion it steps aside.
final class HandshakeWatchdog: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    private let timeout: Duration
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var timer: Scheduled<Void>?

    init(timeout: Duration, registry: ConnectionRegistry, logger: Logger) {
        self.timeout = timeout
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.opened(context.channel, idle: true)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .init(timeout)) { [self] in
            Counter(label: "sluice_http_connections_timed_out_total", dimensions: [("phase", "handshake")])
                .increment()
            logger.info(
                "closing connection: TLS handshake timeout",
                metadata: ["http.peer": "\(bound.value.channel.remoteAddress?.description ?? "?")"])
            bound.value.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            timer?.cancel()
            timer = nil
            // HTTP/1.1 re-registers the channel through its guard; an HTTP/2 connection is closed by its own idle
            // timeout, and its streams are guarded one by one.
            registry.closed(context.channel)
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// A server child channel whose accepted connections get a `HandshakeWatchdog` after their TLS handler.
public struct HandshakeWatchedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Inner.Value
    let inner: Inner
    let timeout: Duration
    let registry: ConnectionRegistry

    public init(_ inner: Inner, handshakeTimeout: Duration, registry: ConnectionRegistry) {
        self.inner = inner
        self.timeout = handshakeTimeout
        self.registry = registry
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let watchdog = HandshakeWatchdog(timeout: timeout, registry: registry, logger: logger)
            if let tls = try? operations.handler(type: NIOSSLServerHandler.self) {
                try operations.addHandler(watchdog, position: .after(tls))
            }
            return value
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
