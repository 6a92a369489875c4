import Foundation
import Logging
import MathFarmCore
import PostgresNIO

/// The job record in `math_solver_db.solutions`, with its daily statistics.
///
/// Every state change is a guarded `UPDATE … WHERE status = …` (and, for a worker's outcome,
/// `AND attempt = $n`, the fencing token), so a repeat or a zombie changes nothing. Statistics
/// move in the same transaction as the state they count.
public struct SolutionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        s.id, s.user_id, p.problem_type::text, s.status::text, s.input_data::text, s.solution_data::text, s.error_message,
        (s.cost_paid * 100)::int8, s.processing_time_ms, s.attempt, s.charge_id, s.charge_resolved, s.created_at, s.updated_at
        """

    static func decode(_ row: PostgresRow) throws -> SolutionRecord {
        let (id, user, code, status, input, result, error, cost, time, attempt, charge, resolved, created, updated) = try row.decode(
            (UUID, UUID, String, String, String, String?, String?, Int64, Int?, Int, UUID?, Bool, Date, Date).self
        )
        return SolutionRecord(
            id: id, userID: user, problemCode: code, status: SolutionStatus(rawValue: status) ?? .failed,
            input: JSONValue(text: input) ?? .null, result: result.flatMap(JSONValue.init(text:)),
            error: error.flatMap { try? JSONDecoder().decode(SolveErrorRecord.self, from: Data($0.utf8)) },
            cost: Money(minorUnits: cost), processingTimeMs: time, attempt: attempt, chargeID: charge,
            chargeResolved: resolved, createdAt: created, updatedAt: updated
        )
    }

    /// Inserts the queued job and counts the request. Idempotent by id: a repeat returns false.
    @discardableResult
    public func create(id: UUID, userID: UUID, problemID: UUID, input: String, cost: Money, chargeID: UUID, priority: Int) async throws -> Bool {
        let logger = database.logger
        return try await database.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO solutions (id, user_id, problem_id, input_data, status, cost_paid, charge_id, priority)
                VALUES (\(id), \(userID), \(problemID), \(input)::jsonb, 'queued', \(cost.minorUnits)::int8 / 100.0, \(chargeID), \(priority))
                ON CONFLICT (id) DO NOTHING
                RETURNING problem_id, stats_date
                """, logger: logger).collectRows()
            guard let row = inserted.first else { return false }
            let (problem, date) = try row.decode((UUID, Date).self)
            try await connection.query("""
                INSERT INTO problem_statistics (problem_id, date, total_requests) VALUES (\(problem), \(date), 1)
                ON CONFLICT (problem_id, date) DO UPDATE SET total_requests = problem_statistics.total_requests + 1
                """, logger: logger)
            return true
        }
    }

    public func setQueueEntry(id: UUID, stream: String, entryID: String) async throws {
        try await database.query("""
            UPDATE solutions SET queue_stream = \(stream), queue_entry_id = \(entryID) WHERE id = \(id)
            """)
    }

    public func record(_ id: UUID) async throws -> SolutionRecord? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM solutions s JOIN math_problems p ON p.id = s.problem_id WHERE s.id = \(id)
            """).collectRows()
        return try rows.first.map(Self.decode)
    }

    /// Jobs newest first: one customer's (`userID`), or everyone's for staff (`nil`).
    public func list(userID: UUID?, status: SolutionStatus?, problem: String?, limit: Int, offset: Int) async throws -> (items: [SolutionRecord], total: Int) {
        let statusText = status?.rawValue
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns), count(*) OVER ()
            FROM solutions s JOIN math_problems p ON p.id = s.problem_id
            WHERE (\(userID)::uuid IS NULL OR s.user_id = \(userID))
              AND (\(statusText)::text IS NULL OR s.status::text = \(statusText))
              AND (\(problem)::text IS NULL OR p.problem_type::text = \(problem))
            ORDER BY s.created_at DESC, s.id DESC LIMIT \(limit) OFFSET \(offset)
            """).collectRows()
        var total = 0
        var items: [SolutionRecord] = []
        for row in rows {
            items.append(try Self.decode(row))
            var columns = row.makeRandomAccess()
            total = Int(try columns[14].decode(Int64.self))
        }
        if items.isEmpty, offset > 0 {
            let count = try await database.query("SELECT count(*)::int8 FROM solutions WHERE \(userID)::uuid IS NULL OR user_id = \(userID)").collectRows()
            total = Int(try count.first?.decode(Int64.self) ?? 0)
        }
        return (items, total)
    }

    public func recordView(id: UUID, userID: UUID, accessType: String) async throws {
        try await database.query("""
            INSERT INTO solution_history (solution_id, user_id, access_type) VALUES (\(id), \(userID), \(accessType))
            """)
    }

    /// `queued → cancelled` for the owner. Returns the record after the attempt.
    public func cancel(id: UUID, userID: UUID) async throws -> (cancelled: Bool, record: SolutionRecord?) {
        let logger = database.logger
        let changed = try await database.transaction { connection -> Bool in
            let rows = try await connection.query("""
                UPDATE solutions SET status = 'cancelled', completed_at = now(),
                    error_message = \(Self.errorJSON(.init(code: "cancelled", vi: "Đã huỷ theo yêu cầu.", en: "Cancelled by the user.")))
                WHERE id = \(id) AND user_id = \(userID) AND status = 'queued'
                RETURNING problem_id, stats_date
                """, logger: logger).collectRows()
            guard let row = rows.first else { return false }
            let (problem, date) = try row.decode((UUID, Date).self)
            try await connection.query("""
                UPDATE problem_statistics SET cancelled_solutions = cancelled_solutions + 1 WHERE problem_id = \(problem) AND date = \(date)
                """, logger: logger)
            return true
        }
        return (changed, try await record(id))
    }

    /// Takes the job for one attempt: `queued`, or `processing` whose lease ran out (its worker
    /// died). Increments `attempt`, the fencing token every later write must present.
    public func claim(id: UUID, leaseGrace: Duration) async throws -> ClaimedJob? {
        let graceSeconds = leaseGrace.timeInterval
        let rows = try await database.query("""
            UPDATE solutions s SET status = 'processing', attempt = s.attempt + 1,
                lease_expires_at = now() + make_interval(secs => COALESCE(p.processing_timeout_seconds, 30) + \(graceSeconds))
            FROM math_problems p
            WHERE s.id = \(id) AND p.id = s.problem_id
              AND (s.status = 'queued' OR (s.status = 'processing' AND s.lease_expires_at < now()))
            RETURNING s.attempt, p.problem_type::text, s.input_data::text, COALESCE(p.processing_timeout_seconds, 30), s.charge_id
            """).collectRows()
        guard let row = rows.first else { return nil }
        let (attempt, code, input, timeout, charge) = try row.decode((Int, String, String, Int, UUID?).self)
        return ClaimedJob(id: id, attempt: attempt, problemCode: code, input: input, timeoutSeconds: timeout, chargeID: charge)
    }

    /// Writes the outcome of attempt `attempt` and the day's statistics, in one transaction.
    /// Returns false (changing nothing) when the attempt no longer owns the job.
    @discardableResult
    public func finish(id: UUID, attempt: Int, outcome: JobOutcome) async throws -> Bool {
        let logger = database.logger
        return try await database.transaction { connection in
            let result: String?
            let error: String?
            let time: Int?
            switch outcome {
            case .completed(let document, let ms):
                (result, error, time) = (document, nil, ms)
            case .failed(let record, let ms):
                (result, error, time) = (nil, Self.errorJSON(record), ms)
            case .timeout(let ms):
                (result, error, time) = (nil, Self.errorJSON(SolveErrorRecord(SolveError.timeout)), ms)
            }
            let rows = try await connection.query("""
                UPDATE solutions SET status = \(outcome.status.rawValue)::solution_status, solution_data = \(result)::jsonb,
                    error_message = \(error), processing_time_ms = \(time), completed_at = now(), lease_expires_at = NULL
                WHERE id = \(id) AND attempt = \(attempt) AND status = 'processing'
                RETURNING problem_id, stats_date, (cost_paid * 100)::int8
                """, logger: logger).collectRows()
            guard let row = rows.first else { return false }
            let (problem, date, cost) = try row.decode((UUID, Date, Int64).self)
            try await Self.count(outcome: outcome.status, processingTimeMs: time, cost: cost, problem: problem, date: date, on: connection, logger: logger)
            return true
        }
    }

    /// Gives up on a job that is still `queued` (dead letter) or whose worker vanished.
    @discardableResult
    public func fail(id: UUID, error: SolveErrorRecord, status: SolutionStatus = .failed) async throws -> Bool {
        let logger = database.logger
        return try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE solutions SET status = \(status.rawValue)::solution_status, error_message = \(Self.errorJSON(error)),
                    completed_at = now(), lease_expires_at = NULL
                WHERE id = \(id) AND status IN ('queued', 'processing')
                RETURNING problem_id, stats_date, (cost_paid * 100)::int8
                """, logger: logger).collectRows()
            guard let row = rows.first else { return false }
            let (problem, date, cost) = try row.decode((UUID, Date, Int64).self)
            try await Self.count(outcome: status, processingTimeMs: nil, cost: cost, problem: problem, date: date, on: connection, logger: logger)
            return true
        }
    }

    /// Puts a job whose attempt died back in the queue (the caller re-enqueues it in Redis).
    @discardableResult
    public func release(id: UUID, attempt: Int) async throws -> Bool {
        !(try await database.query("""
            UPDATE solutions SET status = 'queued', lease_expires_at = NULL
            WHERE id = \(id) AND attempt = \(attempt) AND status = 'processing'
            RETURNING 1
            """).collectRows()).isEmpty
    }

    public func markChargeResolved(id: UUID) async throws {
        try await database.query("UPDATE solutions SET charge_resolved = true WHERE id = \(id) AND NOT charge_resolved")
    }

    public func job(queueStream stream: String, entryID: String) async throws -> UUID? {
        let rows = try await database.query("""
            SELECT id FROM solutions WHERE queue_entry_id = \(entryID) AND queue_stream = \(stream)
            """).collectRows()
        return try rows.first?.decode(UUID.self)
    }

    // MARK: Reconciler queries

    /// Terminal jobs whose charge was not marked resolved, older than `grace`.
    public func unresolvedTerminal(olderThan grace: Duration, limit: Int = 500) async throws -> [(id: UUID, status: SolutionStatus, chargeID: UUID?)] {
        let rows = try await database.query("""
            SELECT id, status::text, charge_id FROM solutions
            WHERE NOT charge_resolved AND status IN ('completed', 'failed', 'timeout', 'cancelled')
              AND updated_at < now() - make_interval(secs => \(Int(grace.timeInterval)))
            ORDER BY updated_at LIMIT \(limit)
            """)
        var result: [(UUID, SolutionStatus, UUID?)] = []
        for try await (id, status, charge) in rows.decode((UUID, String, UUID?).self) {
            result.append((id, SolutionStatus(rawValue: status) ?? .failed, charge))
        }
        return result
    }

    /// Processing jobs whose lease ran out.
    public func expiredLeases(limit: Int = 500) async throws -> [(id: UUID, attempt: Int)] {
        let rows = try await database.query("""
            SELECT id, attempt FROM solutions WHERE status = 'processing' AND lease_expires_at < now() LIMIT \(limit)
            """)
        var result: [(UUID, Int)] = []
        for try await row in rows.decode((UUID, Int).self) { result.append(row) }
        return result
    }

    /// Queued jobs older than `age`, with where their queue entry should be.
    public func queued(olderThan age: Duration, limit: Int = 1000) async throws -> [(id: UUID, priority: Int, stream: String?, entryID: String?)] {
        let rows = try await database.query("""
            SELECT id, priority, queue_stream, queue_entry_id FROM solutions
            WHERE status = 'queued' AND updated_at < now() - make_interval(secs => \(Int(age.timeInterval)))
            ORDER BY created_at LIMIT \(limit)
            """)
        var result: [(UUID, Int, String?, String?)] = []
        for try await (id, priority, stream, entry) in rows.decode((UUID, Int16, String?, String?).self) {
            result.append((id, Int(priority), stream, entry))
        }
        return result
    }

    /// Whether any solution is paid for by `chargeID` (the reconciler's test for an orphan hold).
    public func solutionExists(chargeID: UUID) async throws -> Bool {
        !(try await database.query("SELECT 1 FROM solutions WHERE charge_id = \(chargeID)").collectRows()).isEmpty
    }

    /// Terminal solutions with their charge ids, for invariant 2.
    public func terminalCharges() async throws -> [(id: UUID, status: SolutionStatus, chargeID: UUID?)] {
        let rows = try await database.query("""
            SELECT id, status::text, charge_id FROM solutions WHERE status IN ('completed', 'failed', 'timeout', 'cancelled')
            """)
        var result: [(UUID, SolutionStatus, UUID?)] = []
        for try await (id, status, charge) in rows.decode((UUID, String, UUID?).self) {
            result.append((id, SolutionStatus(rawValue: status) ?? .failed, charge))
        }
        return result
    }

    // MARK: Helpers

    static func errorJSON(_ error: SolveErrorRecord) -> String {
        (try? String(decoding: JSONBody.encode(error), as: UTF8.self)) ?? #"{"code":"internal_error","vi":"","en":""}"#
    }

    static func count(
        outcome: SolutionStatus, processingTimeMs: Int?, cost: Int64, problem: UUID, date: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let success = outcome == .completed ? 1 : 0
        let failure = (outcome == .failed || outcome == .timeout) ? 1 : 0
        let revenue = outcome == .completed ? cost : 0
        let timed = outcome == .completed && processingTimeMs != nil ? 1 : 0
        let time = outcome == .completed ? Int64(processingTimeMs ?? 0) : 0
        try await connection.query("""
            INSERT INTO problem_statistics (problem_id, date, total_requests, successful_solutions, failed_solutions, total_revenue,
                                            total_processing_time_ms, timed_solutions, avg_processing_time_ms)
            VALUES (\(problem), \(date), 0, \(success), \(failure), \(revenue)::int8 / 100.0, \(time), \(timed),
                    CASE WHEN \(timed) > 0 THEN \(time)::numeric / \(timed) END)
            ON CONFLICT (problem_id, date) DO UPDATE SET
                successful_solutions = problem_statistics.successful_solutions + EXCLUDED.successful_solutions,
                failed_solutions = problem_statistics.failed_solutions + EXCLUDED.failed_solutions,
                total_revenue = problem_statistics.total_revenue + EXCLUDED.total_revenue,
                total_processing_time_ms = problem_statistics.total_processing_time_ms + EXCLUDED.total_processing_time_ms,
                timed_solutions = problem_statistics.timed_solutions + EXCLUDED.timed_solutions,
                avg_processing_time_ms = CASE WHEN problem_statistics.timed_solutions + EXCLUDED.timed_solutions > 0
                    THEN ROUND((problem_statistics.total_processing_time_ms + EXCLUDED.total_processing_time_ms)::numeric
                               / (problem_statistics.timed_solutions + EXCLUDED.timed_solutions), 2) END
            """, logger: logger)
    }
}

extension SolutionStore {
    /// Rows of `problem_statistics` that differ from the aggregate of `solutions` (invariant 5).
    public func statisticsMismatches() async throws -> [(problem: String, date: String, detail: String)] {
        let rows = try await database.query("""
            WITH actual AS (
                SELECT problem_id, stats_date AS date, count(*) AS requests,
                       count(*) FILTER (WHERE status = 'completed') AS successes,
                       count(*) FILTER (WHERE status IN ('failed', 'timeout')) AS failures,
                       count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                       COALESCE(sum(cost_paid) FILTER (WHERE status = 'completed'), 0) AS revenue,
                       COALESCE(sum(processing_time_ms) FILTER (WHERE status = 'completed' AND processing_time_ms IS NOT NULL), 0) AS time_ms
                FROM solutions GROUP BY problem_id, stats_date
            )
            SELECT COALESCE(a.problem_id, s.problem_id)::text, COALESCE(a.date, s.date)::text,
                   COALESCE(a.requests, 0)::int8, COALESCE(s.total_requests, 0)::int8,
                   COALESCE(a.successes, 0)::int8, COALESCE(s.successful_solutions, 0)::int8,
                   COALESCE(a.failures, 0)::int8, COALESCE(s.failed_solutions, 0)::int8,
                   COALESCE(a.cancelled, 0)::int8, COALESCE(s.cancelled_solutions, 0)::int8,
                   (COALESCE(a.revenue, 0) * 100)::int8, (COALESCE(s.total_revenue, 0) * 100)::int8,
                   COALESCE(a.time_ms, 0)::int8, COALESCE(s.total_processing_time_ms, 0)::int8
            FROM actual a FULL OUTER JOIN problem_statistics s ON s.problem_id = a.problem_id AND s.date = a.date
            """)
        var mismatches: [(String, String, String)] = []
        for try await (problem, date, requests, statRequests, successes, statSuccesses, failures, statFailures, cancelled, statCancelled, revenue, statRevenue, time, statTime)
            in rows.decode((String, String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self) {
            var differences: [String] = []
            if requests != statRequests { differences.append("requests \(statRequests) vs \(requests) solutions") }
            if successes != statSuccesses { differences.append("successes \(statSuccesses) vs \(successes)") }
            if failures != statFailures { differences.append("failures \(statFailures) vs \(failures)") }
            if cancelled != statCancelled { differences.append("cancelled \(statCancelled) vs \(cancelled)") }
            if revenue != statRevenue { differences.append("revenue \(Money(minorUnits: statRevenue)) vs \(Money(minorUnits: revenue))") }
            if time != statTime { differences.append("processing time \(statTime) ms vs \(time) ms") }
            if !differences.isEmpty { mismatches.append((problem, date, differences.joined(separator: ", "))) }
        }
        return mismatches
    }
}

extension SolutionStore {
    /// Figures for `/metrics`: jobs by status, attempts made, the oldest queued job's age, and a
    /// cumulative histogram of solve time per problem (completed jobs of the last 24 hours).
    public struct Figures: Sendable {
        public var jobsByStatus: [String: Int] = [:]
        public var attempts = 0
        public var oldestQueuedSeconds = 0.0
        public var solveTimeBuckets: [String: [(le: String, count: Int)]] = [:]
    }

    public static let solveTimeBucketsMs = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]

    public func figures() async throws -> Figures {
        var figures = Figures()
        for try await (status, count, attempts) in try await database.query("""
            SELECT status::text, count(*)::int8, COALESCE(sum(attempt), 0)::int8 FROM solutions GROUP BY status
            """).decode((String, Int64, Int64).self) {
            figures.jobsByStatus[status] = Int(count)
            figures.attempts += Int(attempts)
        }
        let oldest = try await database.query("""
            SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 FROM solutions WHERE status = 'queued'
            """).collectRows()
        figures.oldestQueuedSeconds = try oldest.first?.decode(Double.self) ?? 0
        let bounds = Self.solveTimeBucketsMs
        for try await (problem, le, count) in try await database.query("""
            SELECT p.problem_type::text, b.le, count(s.id)::int8
            FROM math_problems p CROSS JOIN unnest(\(bounds)::int8[] || ARRAY[9223372036854775807]::int8[]) AS b(le)
            LEFT JOIN solutions s ON s.problem_id = p.id AND s.status = 'completed'
                 AND s.completed_at > now() - interval '24 hours' AND s.processing_time_ms <= b.le
            GROUP BY p.problem_type, b.le ORDER BY 1, 2
            """).decode((String, Int64, Int64).self) {
            let label = le == Int64.max ? "+Inf" : String(le)
            figures.solveTimeBuckets[problem, default: []].append((label, Int(count)))
        }
        return figures
    }
}
