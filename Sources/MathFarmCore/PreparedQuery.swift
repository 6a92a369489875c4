import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// Names a call site whose query is prepared once per connection and then only bound and
/// executed: PostgreSQL plans an unnamed statement on every execution, and for the hot paths
/// (authentication, the job lifecycle's batches, the ledger) the planning cost as much as the
/// work. Declare one caseless enum per call site; its query keeps the usual interpolation, and
/// its SQL text must be the same on every call (values go into bindings, never into the text).
public protocol PreparedQueryKey: Sendable {}

extension Database {
    /// Runs `query` as the prepared statement of `key` and collects its rows.
    @discardableResult
    public func prepared<Key: PreparedQueryKey>(_ key: Key.Type, _ query: PostgresQuery) async throws -> [PostgresRow] {
        guard PreparedQueryTexts.register(query.sql, for: key) else { return try await self.query(query).collectRows() }
        var rows: [PostgresRow] = []
        for try await row in try await client.execute(PreparedQuery<Key>(binds: query.binds), logger: logger) { rows.append(row) }
        return rows
    }
}

extension PostgresConnection {
    /// Runs `query` as the prepared statement of `key` on this connection (inside a transaction).
    @discardableResult
    public func prepared<Key: PreparedQueryKey>(_ key: Key.Type, _ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        guard PreparedQueryTexts.register(query.sql, for: key) else { return try await self.query(query, logger: logger).collectRows() }
        var rows: [PostgresRow] = []
        for try await row in try await execute(PreparedQuery<Key>(binds: query.binds), logger: logger) { rows.append(row) }
        return rows
    }
}

struct PreparedQuery<Key: PreparedQueryKey>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var name: String { "mathfarm." + String(reflecting: Key.self) }
    static var sql: String { PreparedQueryTexts.text(of: Key.self) ?? "" }

    let binds: PostgresBindings

    func makeBindings() -> PostgresBindings { binds }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// The SQL text of each prepared call site, taken from its first execution.
enum PreparedQueryTexts {
    private static let texts = NIOLockedValueBox<[ObjectIdentifier: String]>([:])

    /// Records `sql` for `key`; false when the key already has a different text (a call site
    /// that varies its SQL: it then runs unprepared, which is always correct).
    static func register<Key: PreparedQueryKey>(_ sql: String, for key: Key.Type) -> Bool {
        texts.withLockedValue { texts in
            if let known = texts[ObjectIdentifier(key)] { return known == sql }
            texts[ObjectIdentifier(key)] = sql
            return true
        }
    }

    static func text<Key: PreparedQueryKey>(of key: Key.Type) -> String? {
        texts.withLockedValue { $0[ObjectIdentifier(key)] }
    }
}
