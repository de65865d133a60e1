import Catalog
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// The cluster catalog: one PostgreSQL database shared by every Sluice node.
///
/// One long-lived connection serves the single-statement calls; when PostgreSQL goes away (restart, failover) the
/// next call reconnects by itself. Multi-statement writes run in a transaction on a connection of their own, so
/// concurrent callers never land inside it. Statements are short and autocommitted: nothing holds a transaction
/// open across network calls to S3, so vacuum is never pinned by Sluice.
///
/// No call waits on a dead server for long: connecting gives up after 5 s and a statement after
/// `statementTimeout` (the connection is then closed, so the next call reconnects). Every call's outcome goes to
/// `health`, which says since when the database has not answered.
///
/// ```swift
/// let catalog = try await PostgresCatalog.open(url: try PostgresURL.parse(text, environment: env), logger: logger)
/// ```
public final class PostgresCatalog: CatalogStore, Sendable {
    let url: PostgresURL
    let configuration: PostgresConnection.Configuration
    let secrets: SecretSealer
    let logger: Logger
    let shared = Mutex<PostgresConnection?>(nil)
    let connectionIDs = Atomic<Int>(0)
    /// Whether the database answers, as this catalog's calls see it.
    public let health: CatalogHealth
    /// How long one statement may take before the call fails as `.unavailable`.
    let statementTimeout: Duration
    let now: @Sendable () -> Int64

    init(
        url: PostgresURL, configuration: PostgresConnection.Configuration, secrets: SecretSealer, logger: Logger,
        health: CatalogHealth, statementTimeout: Duration, now: @escaping @Sendable () -> Int64
    ) {
        self.url = url
        self.configuration = configuration
        self.secrets = secrets
        self.logger = logger
        self.health = health
        self.statementTimeout = statementTimeout
        self.now = now
    }

    /// Without a key, a PostgreSQL catalog stores no static-key secret: every node must hold the same key.
    public static let noKeyAdvice =
        "a PostgreSQL catalog seals destination secrets with SLUICE_SECRET_KEY (or SLUICE_SECRET_KEY_FILE), the "
        + "same on every node; set it, or keep the secret in each node's environment with --secret-stays-in-env"

    /// Connects, then creates or migrates the schema (under an advisory lock, so nodes starting together on an
    /// empty database do not race). A database whose schema is newer than this build knows is refused
    /// (`.schemaTooNew`); an unreachable server or a refused login is `.invalidConfiguration` with the reason.
    /// Destination secrets are sealed with `secrets`; plaintext ones an older Sluice stored are sealed here when
    /// it has a key. `now` (milliseconds since 1970) stamps `health`.
    public static func open(
        url: PostgresURL, secrets: SecretSealer = .withoutKey(advice: noKeyAdvice), logger: Logger,
        health: CatalogHealth = CatalogHealth(), statementTimeout: Duration = .seconds(10),
        now: @escaping @Sendable () -> Int64 = PostgresCatalog.wallClock
    ) async throws(CatalogError) -> PostgresCatalog {
        let catalog = PostgresCatalog(
            url: url, configuration: try Self.configuration(url), secrets: secrets, logger: logger, health: health,
            statementTimeout: statementTimeout, now: now)
        do {
            try await catalog.migrate()
            try await catalog.sealPlaintextSecrets()
        } catch {
            await catalog.close()
            throw error
        }
        return catalog
    }

    public func close() async {
        let connection = shared.withLock { current -> PostgresConnection? in
            defer { current = nil }
            return current
        }
        try? await connection?.close()
    }

    static func configuration(_ url: PostgresURL) throws(CatalogError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.sslMode {
            case .disable:
                tls = .disable
            case .prefer, .require:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                let context = try NIOSSLContext(configuration: settings)
                tls = url.sslMode == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw CatalogError(.invalidConfiguration, "cannot set up TLS for \(url)", underlying: error)
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A new connection. Failures say what to check, never the password.
    func connect() async throws(CatalogError) -> PostgresConnection {
        let id = connectionIDs.add(1, ordering: .relaxed).newValue
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            health.succeeded(atMilliseconds: now())
            return connection
        } catch {
            let failure = Self.connectionError(error, url: url)
            // A refused login or a missing database is an answer; only silence is an outage.
            if failure.code == .unavailable { health.failed(atMilliseconds: now(), message: failure.message) }
            throw failure
        }
    }

    /// The shared connection, (re)connected when there is none or it closed.
    func connection() async throws(CatalogError) -> PostgresConnection {
        if let current = shared.withLock({ $0 }), !current.isClosed { return current }
        let fresh = try await connect()
        let (kept, spare) = shared.withLock { current -> (PostgresConnection, PostgresConnection?) in
            if let current, !current.isClosed { return (current, fresh) }
            current = fresh
            return (fresh, nil)
        }
        if let spare { try? await spare.close() }
        return kept
    }

    @discardableResult
    func run(_ query: PostgresQuery) async throws(CatalogError) -> [PostgresRandomAccessRow] {
        let connection = try await connection()
        return try await run(query, on: connection)
    }

    @discardableResult
    func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws(CatalogError)
        -> [PostgresRandomAccessRow]
    {
        do throws(CatalogError) {
            let rows = try await withStatementTimeout(on: connection) { [logger] in
                try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
            }
            health.succeeded(atMilliseconds: now())
            return rows
        } catch {
            if error.code == .unavailable { health.failed(atMilliseconds: now(), message: error.message) }
            throw error
        }
    }

    /// Runs `body` in one transaction on a connection of its own, closed afterwards.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws(CatalogError) -> T)
        async throws(CatalogError) -> T
    {
        let own = try await connect()
        do throws(CatalogError) {
            try await run("BEGIN", on: own)
            do throws(CatalogError) {
                let result = try await body(own)
                try await run("COMMIT", on: own)
                try? await own.close()
                return result
            } catch {
                _ = try? await run("ROLLBACK", on: own)
                throw error
            }
        } catch {
            try? await own.close()
            throw error
        }
    }
}
