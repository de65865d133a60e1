import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage plus the peer address (for `context.ip`).
public struct SluiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text, without the port.
    public var peerIP: String? { remoteAddress?.ipAddress }
}
