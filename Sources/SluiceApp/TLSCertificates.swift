import Foundation
import NIOSSL
import Synchronization

/// The certificate chain and private key `sluice serve --tls-cert --tls-key` serves, reloadable while the listener
/// runs: every TLS handshake asks for the current pair (NIOSSL's context callback), so a reload applies to new
/// connections without closing the listening socket or the connections already open.
///
/// ```swift
/// let certificates = try TLSCertificates(certificateFile: "cert.pem", privateKeyFile: "key.pem")
/// let tls = certificates.serverConfiguration()    // for the HTTP/1.1 + HTTP/2 (ALPN) server
/// try certificates.reload()                        // on SIGHUP; a bad pair keeps the old one
/// ```
public final class TLSCertificates: Sendable {
    public let certificateFile: String
    public let privateKeyFile: String
    let current: Mutex<Pair>

    struct Pair: Sendable {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    /// Loads and checks the pair; the error names the file and what is wrong with it.
    public init(certificateFile: String, privateKeyFile: String) throws(ConfigurationError) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        current = Mutex(try Self.load(certificateFile: certificateFile, privateKeyFile: privateKeyFile))
    }

    /// Reads both files again and, only if they hold a valid pair, serves it from the next handshake on.
    public func reload() throws(ConfigurationError) {
        let pair = try Self.load(certificateFile: certificateFile, privateKeyFile: privateKeyFile)
        current.withLock { $0 = pair }
    }

    /// A server configuration for the current pair that asks this object again at every handshake.
    public func serverConfiguration() -> TLSConfiguration {
        let pair = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) }, privateKey: .privateKey(pair.key))
        configuration.sslContextCallback = { [self] _, promise in
            let pair = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    static func load(certificateFile: String, privateKeyFile: String) throws(ConfigurationError) -> Pair {
        let certificateBytes = try read(certificateFile, what: "certificate (--tls-cert)")
        let keyBytes = try read(privateKeyFile, what: "private key (--tls-key)")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificateBytes)
        } catch {
            throw ConfigurationError(message: "TLS certificate \(certificateFile) is not a PEM certificate chain")
        }
        guard !chain.isEmpty else {
            throw ConfigurationError(message: "TLS certificate \(certificateFile) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw ConfigurationError(message: "TLS private key \(privateKeyFile) is not a PEM private key")
        }
        do {
            // BoringSSL checks here that the key belongs to the leaf certificate.
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw ConfigurationError(
                message: "TLS private key \(privateKeyFile) does not belong to the certificate in \(certificateFile)")
        }
        return Pair(chain: chain, key: key)
    }

    static func read(_ path: String, what: String) throws(ConfigurationError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(message: "TLS \(what) \(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(message: "TLS \(what) \(path) cannot be read; check its permissions")
        }
        return Array(data)
    }
}
