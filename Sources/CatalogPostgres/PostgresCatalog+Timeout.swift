import Catalog
import Foundation
import PostgresNIO

extension PostgresCatalog {
    /// Milliseconds since 1970, the default clock for `health`.
    public static let wallClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Runs `body` (a statement on `connection`), giving up after `statementTimeout`: a server that stopped
    /// answering (stopped, partitioned away) must not hold a request for minutes. On timeout the connection is
    /// closed, which fails the statement and makes the next call reconnect.
    func withStatementTimeout<T: Sendable>(
        on connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T
    ) async throws(CatalogError) -> T {
        let timeout = statementTimeout
        let outcome: Result<T, any Error>? = await withTaskGroup(of: StatementEvent<T>.self) { group in
            group.addTask {
                do { return .finished(.success(try await body())) } catch { return .finished(.failure(error)) }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return .timerCancelled
                }
            }
            var result: Result<T, any Error>? = nil
            var timedOut = false
            // The statement's own end, or the timer; a cancelled caller lets the statement end by itself.
            while let event = await group.next() {
                switch event {
                case .finished(let finished):
                    result = finished
                    group.cancelAll()
                case .timedOut:
                    if result == nil {
                        timedOut = true
                        try? await connection.close()
                    }
                case .timerCancelled:
                    break
                }
            }
            return timedOut ? nil : result
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(let error):
            throw Self.queryError(error, logger: logger)
        case nil:
            throw CatalogError(
                .unavailable, "PostgreSQL at \(url) did not answer within \(timeout); retrying later")
        }
    }
}

/// What ends first in `withStatementTimeout`: the statement, or its timer.
private enum StatementEvent<T: Sendable>: Sendable {
    case finished(Result<T, any Error>)
    case timedOut
    case timerCancelled
}
