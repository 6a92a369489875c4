import Logging
import PostgresNIO

/// One service's PostgreSQL database: a connection pool plus the logger its queries report to.
///
/// The pool itself is a `Service` and must be running (see `DatabasePools`) before queries go through.
public struct Database: Sendable {
    public let name: ServiceDatabase
    public let client: PostgresClient
    public let logger: Logger

    public init(name: ServiceDatabase, client: PostgresClient, logger: Logger) {
        self.name = name
        self.client = client
        self.logger = logger
    }

    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await client.query(query, logger: logger)
    }

    /// Runs `body` inside BEGIN/COMMIT on one connection and rethrows the body's own error
    /// unchanged after ROLLBACK (postgres-nio's `withTransaction` wraps it, which would hide an
    /// `APIError` such as insufficient funds from the caller).
    public func transaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let logger = self.logger
        return try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let value: Result
            do {
                value = try await body(connection)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return value
        }
    }
}

extension PostgresRowSequence {
    /// Collects every row (the result sets here are small and bounded by LIMIT).
    public func collectRows() async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }
}

extension PSQLError {
    /// The SQLSTATE the server sent, if this came from the server.
    public var sqlState: String? { serverInfo?[.sqlState] }
}

/// An error as a log line can carry it: PSQLError's own description hides everything (so that
/// values cannot leak), which leaves an operator with "PSQLError" and nothing to act on. The
/// SQLSTATE and the server's primary message name the failed rule without the row's values
/// (those are in the message's detail, which stays out).
public func loggable(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    guard let state = error.sqlState else { return "PSQLError \(error.code)" }
    return "PSQLError \(state): \(error.serverInfo?[.message] ?? "")"
}

public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let checkViolation = "23514"
    public static let duplicateDatabase = "42P04"
    public static let serializationFailure = "40001"
}
