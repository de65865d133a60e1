import Catalog
import Foundation

/// A `postgres://user[:password]@host[:port]/database?sslmode=...` URL, parsed. The password comes from the URL or,
/// when the URL has none, from `PGPASSWORD`; it is never part of `description`.
///
/// ```swift
/// let url = try PostgresURL.parse("postgres://sluice@db.internal/sluice?sslmode=require", environment: env)
/// ```
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode` values Sluice supports.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP only.
        case disable
        /// TLS when the server offers it, without verifying the certificate (libpq's default).
        case prefer
        /// TLS or nothing, without verifying the certificate (as libpq's `require`).
        case require
        /// TLS with the certificate verified against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let sslMode: SSLMode

    /// The URL without its password, safe to print and log.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// True for `postgres://` and `postgresql://` URLs.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `text`; `environment` supplies `PGPASSWORD` when the URL carries no password.
    public static func parse(_ text: String, environment: [String: String] = [:]) throws(CatalogError) -> PostgresURL {
        func invalid(_ why: String) -> CatalogError {
            CatalogError(
                .invalidConfiguration,
                "the catalog URL is not valid: \(why); use postgres://USER@HOST:PORT/DATABASE?sslmode=require")
        }
        guard isPostgresURL(text), let components = URLComponents(string: text) else {
            throw invalid("it must start with postgres:// and be a URL")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw invalid("it names no user") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else { throw invalid("the database name contains '/'") }
        var mode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw invalid(
                        "sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                mode = value
            default:
                throw invalid("unknown parameter '\(item.name.prefix(40))' (only sslmode is supported)")
            }
        }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGPASSWORD"]
        return PostgresURL(
            host: host, port: components.port ?? 5432, user: user, password: password,
            database: path.isEmpty ? user : path, sslMode: mode)
    }
}
