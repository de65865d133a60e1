import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the TLS certificate and key on SIGHUP (as nginx and HAProxy do), so a renewed certificate is served without
/// a restart; a pair that does not load is logged and the old one stays.
struct CertificateReloader: Service {
    let certificates: TLSCertificates
    /// Trapped before the server starts, so a SIGHUP that arrives early never takes the default action (exit).
    let hangups: UnixSignalsSequence
    let logger: Logger

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try certificates.reload()
                logger.notice(
                    "tls certificate reloaded", metadata: ["tls.certificate": "\(certificates.certificateFile)"])
            } catch {
                logger.error(
                    "tls reload failed, still serving the previous certificate", metadata: ["error": "\(error.message)"]
                )
            }
        }
    }
}
