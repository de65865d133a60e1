import Hummingbird

extension TrackingAPI {
    /// The client's address for `context.ip`: the socket peer, or what a trusted proxy forwarded.
    func clientIP(_ request: Request, _ context: SluiceRequestContext) -> String? {
        guard !trustedProxies.isEmpty else { return context.peerIP }
        var forwarded: [String] = []
        var forwardedFor: [String] = []
        for field in request.headers {
            switch field.name.canonicalName {
            case "forwarded": forwarded.append(field.value)
            case "x-forwarded-for": forwardedFor.append(field.value)
            default: break
            }
        }
        return trustedProxies.clientAddress(peer: context.peerIP, forwarded: forwarded, forwardedFor: forwardedFor)
    }
}
