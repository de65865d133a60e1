import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import SegmentModel
import SluiceServer
import ServiceLifecycle
import UnixSignals

/// How `sluice serve` listens: plain HTTP/1.1, or with `http.tls` HTTPS offering HTTP/2 and HTTP/1.1 by ALPN, its
/// certificate reloaded on SIGHUP. Built before anything else starts, so a bad certificate stops `serve` at once.
struct HTTPServerSetup {
    let server: HTTPServerBuilder
    /// `https` or `http`, for the settings document and the start-up line.
    let scheme: String
    /// The SIGHUP reloader, when TLS is on.
    let services: [ServiceGroupConfiguration.ServiceConfiguration]

    /// Both kinds carry the connection guard (`HTTPTimeouts`, `100 Continue`, early close) on every HTTP/1.1
    /// connection and HTTP/2 stream; HTTP/2 connections also close after the idle timeout.
    init(_ settings: SluiceConfiguration.HTTPSettings, connections: ConnectionRegistry, logger: Logger) async throws {
        let guarded = HTTP1Channel.Configuration.guarded(
            timeouts: settings.timeouts, registry: connections, maxBodyBytes: TrackingAPI.maxWireBytes(IngestLimits()),
            logger: logger)
        guard let tls = settings.tls else {
            server = .http1(configuration: guarded)
            scheme = "http"
            services = []
            return
        }
        let certificates = try TLSCertificates(certificateFile: tls.certificateFile, privateKeyFile: tls.privateKeyFile)
        let tlsConfiguration = certificates.serverConfiguration()
        let timeouts = settings.timeouts
        server = HTTPServerBuilder { responder in
            HandshakeWatchedChannel(
                try HTTP2UpgradeChannel(
                    tlsConfiguration: tlsConfiguration,
                    configuration: .init(idleTimeout: timeouts.idle, streamConfiguration: guarded),
                    responder: responder),
                handshakeTimeout: timeouts.header, registry: connections)
        }
        scheme = "https"
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        services = [.init(service: CertificateReloader(certificates: certificates, hangups: hangups, logger: logger))]
    }
}
