import Foundation
import Logging
import PostgresNIO

/// The monitoring queries of the seed schema, as plain text lines: connections by state,
/// queries running longer than 30 s, database sizes, the largest tables, and the top
/// statements from `pg_stat_statements` when the server has it loaded.
public struct DatabaseStatistics: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func report(_ databases: [DatabaseURL]) async throws -> [String] {
        guard let first = databases.first else { return [] }
        var lines: [String] = []
        try await with(first.with(database: "postgres")) { connection in
            lines.append("== connections")
            for try await (database, state, count) in try await connection.query("""
                SELECT COALESCE(datname, '-'), COALESCE(state, '-'), count(*)::int8 FROM pg_stat_activity GROUP BY 1, 2 ORDER BY 1, 2
                """, logger: logger).decode((String, String, Int64).self) {
                lines.append("\(database)\t\(state)\t\(count)")
            }
            lines.append("== queries running longer than 30 s")
            for try await (pid, seconds, query) in try await connection.query("""
                SELECT pid, extract(epoch FROM now() - query_start)::int8, left(query, 120) FROM pg_stat_activity
                WHERE state = 'active' AND now() - query_start > interval '30 seconds' ORDER BY 2 DESC
                """, logger: logger).decode((Int32, Int64, String).self) {
                lines.append("\(pid)\t\(seconds)s\t\(query)")
            }
            lines.append("== database sizes")
            for try await (name, size) in try await connection.query("""
                SELECT datname, pg_size_pretty(pg_database_size(datname)) FROM pg_database WHERE datname = ANY(\(databases.map(\.database))) ORDER BY 1
                """, logger: logger).decode((String, String).self) {
                lines.append("\(name)\t\(size)")
            }
        }
        for url in databases {
            try await with(url) { connection in
                lines.append("== largest tables in \(url.database)")
                for try await (table, size) in try await connection.query("""
                    SELECT relname, pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 5
                    """, logger: logger).decode((String, String).self) {
                    lines.append("\(table)\t\(size)")
                }
            }
        }
        try await with(first) { connection in
            lines.append("== top statements (pg_stat_statements)")
            do {
                _ = try await connection.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", logger: logger).collectRows()
                for try await (calls, totalMs, query) in try await connection.query("""
                    SELECT calls, round(total_exec_time)::int8, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10
                    """, logger: logger).decode((Int64, Int64, String).self) {
                    lines.append("\(calls) calls\t\(totalMs) ms\t\(query)")
                }
            } catch {
                lines.append("not available (the server needs shared_preload_libraries = 'pg_stat_statements')")
            }
        }
        return lines
    }

    private func with(_ url: DatabaseURL, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 7, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
