import Catalog
import Logging
import PostgresNIO

extension PostgresCatalog {
    /// A failed connection attempt as one clear line: where, and what to check. Never the password.
    static func connectionError(_ error: any Error, url: PostgresURL) -> CatalogError {
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState]
            // 28P01 invalid_password, 28000 invalid_authorization_specification.
            if state == "28P01" || state == "28000" {
                return CatalogError(
                    .invalidConfiguration,
                    "PostgreSQL at \(url) refused the login of user '\(url.user)': check the password "
                        + "(PGPASSWORD or the URL) and pg_hba.conf", underlying: error)
            }
            // 57P0x: shutting down, crashed, or still starting up; 08xxx: the connection failed. Both pass.
            if let state, state.hasPrefix("57P") || state.hasPrefix("08") {
                return CatalogError(
                    .unavailable, "PostgreSQL at \(url) is not accepting connections (restarting?); retrying later",
                    underlying: error)
            }
            if state == "3D000" {
                return CatalogError(
                    .invalidConfiguration, "PostgreSQL at \(url) has no database '\(url.database)': create it first",
                    underlying: error)
            }
            if let message = psql.serverInfo?[.message] {
                return CatalogError(
                    .invalidConfiguration, "PostgreSQL at \(url) refused: \(message)", underlying: error)
            }
            if psql.code == .sslUnsupported {
                return CatalogError(
                    .invalidConfiguration, "PostgreSQL at \(url) does not offer TLS; use sslmode=disable or prefer",
                    underlying: error)
            }
        }
        return CatalogError(
            .unavailable, "cannot reach PostgreSQL at \(url): is it running and reachable from here?",
            underlying: error)
    }

    /// A failed statement: a unique violation is `.duplicate`, a lost connection `.unavailable`.
    static func queryError(_ error: any Error, logger: Logger) -> CatalogError {
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState]
            if state == "23505" {
                return CatalogError(.duplicate, "already exists", underlying: error)
            }
            if let state, state.hasPrefix("57P") || state.hasPrefix("08") {
                return CatalogError(.unavailable, "PostgreSQL is shutting down or restarting; retrying later")
            }
            if psql.code == .serverClosedConnection || psql.code == .clientClosedConnection
                || psql.code == .connectionError || psql.code == .uncleanShutdown
            {
                return CatalogError(.unavailable, "PostgreSQL is not answering; retrying later", underlying: error)
            }
            if let message = psql.serverInfo?[.message] {
                logger.error("catalog query failed", metadata: ["error": "\(message)"])
                return CatalogError(.storage, "the catalog database failed: \(message)", underlying: error)
            }
        }
        logger.error("catalog query failed", metadata: ["error": "\(error)"])
        return CatalogError(.storage, "the catalog database failed; see the server log", underlying: error)
    }
}
