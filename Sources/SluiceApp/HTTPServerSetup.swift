import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
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

    init(_ settings: SluiceConfiguration.HTTPSettings, logger: Logger) async throws {
        guard let tls = settings.tls else {
            server = .http1()
            scheme = "http"
            services = []
            return
        }
        let certificates = try TLSCertificates(certificateFile: tls.certificateFile, privateKeyFile: tls.privateKeyFile)
        server = try .http2Upgrade(tlsConfiguration: certificates.serverConfiguration())
        scheme = "https"
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        services = [.init(service: CertificateReloader(certificates: certificates, hangups: hangups, logger: logger))]
    }
}
