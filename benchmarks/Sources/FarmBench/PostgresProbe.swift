import Foundation
import Logging
import PostgresNIO

/// Reads what only PostgreSQL knows: how far the run is, when each job was claimed and
/// finished, the server's commit and WAL-flush counters, and the money totals.
struct PostgresProbe: Sendable {
    let server: PostgresClient
    let solver: PostgresClient
    let payment: PostgresClient

    /// `url`: postgres://user@host:port/anydb (the databases' names are MathFarm's defaults).
    init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host else { throw HarnessError("bad --pg-url \(url)") }
        func client(_ database: String) -> PostgresClient {
            let configuration = PostgresClient.Configuration(
                host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                password: components.password, database: database, tls: .disable
            )
            return PostgresClient(configuration: configuration)
        }
        server = client("postgres")
        solver = client("math_solver_db")
        payment = client("payment_service_db")
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await server.run() }
            group.addTask { await solver.run() }
            group.addTask { await payment.run() }
        }
    }

    static let databases = ["user_service_db", "payment_service_db", "math_solver_db", "content_service_db", "admin_service_db"]

    /// Commits (all transactions, read-only ones included) in MathFarm's databases, and the
    /// WAL flushes (fsyncs) of the whole server.
    func counters() async throws -> (commits: Int64, walSyncs: Int64) {
        var commits: Int64 = 0
        for try await value in try await server.query("""
            SELECT COALESCE(sum(xact_commit), 0)::int8 FROM pg_stat_database WHERE datname = ANY(\(Self.databases))
            """).decode(Int64.self) { commits = value }
        var syncs: Int64 = 0
        for try await value in try await server.query("SELECT wal_sync::int8 FROM pg_stat_wal").decode(Int64.self) { syncs = value }
        return (commits, syncs)
    }

    /// Jobs that reached a terminal state, and holds still pending.
    func progress() async throws -> (terminal: Int, pendingHolds: Int) {
        var terminal = 0
        for try await value in try await solver.query("""
            SELECT count(*)::int8 FROM solutions WHERE status IN ('completed', 'failed', 'timeout', 'cancelled')
            """).decode(Int64.self) { terminal = Int(value) }
        var pending = 0
        for try await value in try await payment.query("""
            SELECT count(*)::int8 FROM transactions WHERE transaction_type = 'solve_charge' AND status = 'pending'
            """).decode(Int64.self) { pending = Int(value) }
        return (terminal, pending)
    }

    struct JobTimes: Sendable {
        var status: String
        var problem: String
        var started: Date?
        var completed: Date?
        var attempts: Int
    }

    func jobTimes() async throws -> [String: JobTimes] {
        var times: [String: JobTimes] = [:]
        for try await (id, status, problem, started, completed, attempt) in try await solver.query("""
            SELECT s.id::text, s.status::text, p.problem_type::text, s.started_at, s.completed_at, s.attempt
            FROM solutions s JOIN math_problems p ON p.id = s.problem_id
            """).decode((String, String, String, Date?, Date?, Int).self) {
            times[id] = JobTimes(status: status, problem: problem, started: started, completed: completed, attempts: attempt)
        }
        return times
    }
}
