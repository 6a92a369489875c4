import Foundation
import Logging
import MathFarmCore
import MathSolvers
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
        (s.cost_paid * 100)::int8, s.processing_time_ms, s.attempt, s.charge_id, s.created_at, s.updated_at, s.started_at, s.completed_at
        """

    static func decode(_ row: PostgresRow) throws -> SolutionRecord {
        let (id, user, code, status, input, result, error, cost, time, attempt, charge, created, updated, started, completed) = try row.decode(
            (UUID, UUID, String, String, String, String?, String?, Int64, Int?, Int, UUID?, Date, Date, Date?, Date?).self
        )
        return SolutionRecord(
            id: id, userID: user, problemCode: code, status: SolutionStatus(rawValue: status) ?? .failed,
            input: JSONValue(text: input) ?? .null, result: result.flatMap(JSONValue.init(text:)),
            error: error.flatMap { try? JSONDecoder().decode(SolveErrorRecord.self, from: Data($0.utf8)) },
            cost: Money(minorUnits: cost), processingTimeMs: time, attempt: attempt, chargeID: charge,
            createdAt: created, updatedAt: updated, startedAt: started, completedAt: completed
        )
    }

    // MARK: Writes (JobLifecycle is their only caller)

    // The statements every job goes through, prepared once per connection.
    enum InsertQueued: PreparedQueryKey {}
    enum Claim: PreparedQueryKey {}
    enum States: PreparedQueryKey {}
    enum Finish: PreparedQueryKey {}
    enum Record: PreparedQueryKey {}

    /// A queued job to insert.
    struct NewJob: Sendable {
        var id: UUID
        var userID: UUID
        var problemID: UUID
        var input: String
        var cost: Money
        var chargeID: UUID
        var priority: Int
        var requestHash: String?
    }

    /// Inserts queued jobs and counts them as requests, in one statement. Idempotent by id:
    /// returns the ids that were inserted now (a repeat is left out).
    func insertQueued(_ jobs: [NewJob]) async throws -> Set<UUID> {
        guard !jobs.isEmpty else { return [] }
        let rows = try await database.prepared(InsertQueued.self, """
            WITH inserted AS (
                INSERT INTO solutions (id, user_id, problem_id, input_data, status, cost_paid, charge_id, priority, request_hash)
                SELECT u.id, u.user_id, u.problem_id, u.input::jsonb, 'queued', u.cost / 100.0, u.charge_id, u.priority, NULLIF(u.hash, '')
                FROM unnest(\(jobs.map(\.id))::uuid[], \(jobs.map(\.userID))::uuid[], \(jobs.map(\.problemID))::uuid[],
                            \(jobs.map(\.input))::text[], \(jobs.map(\.cost.minorUnits))::int8[], \(jobs.map(\.chargeID))::uuid[],
                            \(jobs.map { Int16($0.priority) })::int2[], \(jobs.map { $0.requestHash ?? "" })::text[])
                     AS u(id, user_id, problem_id, input, cost, charge_id, priority, hash)
                ON CONFLICT (id) DO NOTHING
                RETURNING id, problem_id, stats_date
            ), counted AS (
                INSERT INTO problem_statistics (problem_id, date, total_requests)
                SELECT problem_id, stats_date, count(*) FROM inserted GROUP BY problem_id, stats_date
                ON CONFLICT (problem_id, date) DO UPDATE SET total_requests = problem_statistics.total_requests + EXCLUDED.total_requests
            )
            SELECT id FROM inserted
            """)
        return Set(try rows.map { try $0.decode(UUID.self) })
    }

    /// The stored request hash and cost of existing jobs (an idempotent replay compares them).
    func submissions(_ ids: [UUID]) async throws -> [UUID: (requestHash: String?, userID: UUID, cost: Money)] {
        guard !ids.isEmpty else { return [:] }
        var found: [UUID: (String?, UUID, Money)] = [:]
        for try await (id, hash, user, cost) in try await database.query("""
            SELECT id, request_hash, user_id, (cost_paid * 100)::int8 FROM solutions WHERE id = ANY(\(ids)::uuid[])
            """).decode((UUID, String?, UUID, Int64).self) {
            found[id] = (hash, user, Money(minorUnits: cost))
        }
        return found
    }

    /// `claim` for every id that is `queued`, or `processing` with an expired lease: attempt + 1
    /// (the fencing token every later write presents) and a lease of the timeout plus `leaseGrace`.
    /// `firstAttemptsOnly` leaves jobs that were claimed before (retries) alone.
    func claim(_ ids: [UUID], leaseGrace: Duration, firstAttemptsOnly: Bool) async throws -> [ClaimedJob] {
        guard !ids.isEmpty else { return [] }
        let transition = JobTransition.claim
        let rows = try await database.prepared(Claim.self, """
            UPDATE solutions s SET status = \(transition.to.rawValue)::solution_status, attempt = s.attempt + 1, started_at = now(),
                lease_expires_at = now() + make_interval(secs => COALESCE(p.processing_timeout_seconds, 30) + \(leaseGrace.timeInterval))
            FROM math_problems p
            WHERE s.id = ANY(\(ids)::uuid[]) AND p.id = s.problem_id AND s.status::text = ANY(\(transition.fromStatuses)::text[])
              AND (s.status = 'queued' OR s.lease_expires_at < now()) AND (NOT \(firstAttemptsOnly) OR s.attempt = 0)
            RETURNING s.id, s.attempt, p.problem_type::text, s.input_data::text, COALESCE(p.processing_timeout_seconds, 30), s.charge_id, s.priority
            """)
        var claimed: [ClaimedJob] = []
        for row in rows {
            let (id, attempt, code, input, timeout, charge, priority) = try row.decode((UUID, Int, String, String, Int, UUID?, Int16).self)
            claimed.append(ClaimedJob(
                id: id, attempt: attempt, problemCode: code, input: input, timeoutSeconds: timeout, chargeID: charge, priority: Int(priority)
            ))
        }
        return claimed
    }

    /// Where jobs stand: status, attempt, charge, priority (for the ones a claim did not take).
    func states(_ ids: [UUID]) async throws -> [UUID: JobState] {
        guard !ids.isEmpty else { return [:] }
        var states: [UUID: JobState] = [:]
        for row in try await database.prepared(States.self, """
            SELECT id, status::text, attempt, charge_id, priority, COALESCE(lease_expires_at < now(), false)
            FROM solutions WHERE id = ANY(\(ids)::uuid[])
            """) {
            let (id, status, attempt, charge, priority, leaseExpired) = try row.decode((UUID, String, Int, UUID?, Int16, Bool).self)
            states[id] = JobState(
                id: id, status: SolutionStatus(rawValue: status) ?? .failed, attempt: attempt, chargeID: charge,
                priority: Int(priority), leaseExpired: leaseExpired
            )
        }
        return states
    }

    /// One attempt's outcome to write.
    struct AttemptOutcome: Sendable {
        var id: UUID
        var attempt: Int
        var outcome: JobOutcome
    }

    /// Writes the outcomes of a batch of attempts (`complete`, `fail` or `timeOut`, each fenced by
    /// its attempt), the day's statistics summed over the batch, and a notification for the
    /// API's long polls, in one statement. Returns the jobs whose outcome landed, with their
    /// charge; an attempt that no longer owns its job is left out and changes nothing.
    func finish(_ outcomes: [AttemptOutcome]) async throws -> [UUID: (status: SolutionStatus, chargeID: UUID?)] {
        guard !outcomes.isEmpty else { return [:] }
        var statuses: [String] = [], results: [String] = [], errors: [String] = [], times: [Int32] = []
        for item in outcomes {
            switch item.outcome {
            case .completed(let document, let ms):
                statuses.append(JobTransition.complete.to.rawValue); results.append(document); errors.append(""); times.append(Int32(clamping: ms))
            case .failed(let record, let ms):
                statuses.append(JobTransition.fail.to.rawValue); results.append(""); errors.append(Self.errorJSON(record)); times.append(Int32(clamping: ms ?? -1))
            case .timeout(let ms):
                statuses.append(JobTransition.timeOut.to.rawValue); results.append("")
                errors.append(Self.errorJSON(SolveErrorRecord(SolveError.timeout))); times.append(Int32(clamping: ms ?? -1))
            }
        }
        // complete, fail and timeOut share their guard: fenced, from `processing`.
        let guardStatuses = JobTransition.complete.fromStatuses
        let rows = try await database.prepared(Finish.self, """
            WITH changed AS (
                UPDATE solutions s SET status = u.status::solution_status, solution_data = NULLIF(u.result, '')::jsonb,
                    error_message = NULLIF(u.error, ''), processing_time_ms = NULLIF(u.ms, -1), completed_at = now(), lease_expires_at = NULL
                FROM unnest(\(outcomes.map(\.id))::uuid[], \(outcomes.map(\.attempt))::int4[], \(statuses)::text[],
                            \(results)::text[], \(errors)::text[], \(times)::int4[]) AS u(id, attempt, status, result, error, ms)
                WHERE s.id = u.id AND s.attempt = u.attempt AND s.status::text = ANY(\(guardStatuses)::text[])
                RETURNING s.id, s.charge_id, s.problem_id, s.stats_date, s.status, s.cost_paid, s.processing_time_ms
            ), \(unescaped: Self.countOutcomes(of: "changed")), \(unescaped: Self.notifyEnded(of: "changed"))
            SELECT c.id, c.status::text, c.charge_id FROM changed c CROSS JOIN (SELECT count(*) FROM notified) n
            """)
        var finished: [UUID: (SolutionStatus, UUID?)] = [:]
        for row in rows {
            let (id, status, charge) = try row.decode((UUID, String, UUID?).self)
            finished[id] = (SolutionStatus(rawValue: status) ?? .failed, charge)
        }
        return finished
    }

    /// `giveUp`: the jobs end `failed` with `error`. A job qualifies while `queued`, or while
    /// `processing` under the attempt given (the supervisor's view of a crashed attempt) or
    /// with an expired lease; pass attempt 0 when it is not known.
    func giveUp(_ jobs: [(id: UUID, attempt: Int)], error: SolveErrorRecord) async throws -> [UUID: UUID?] {
        guard !jobs.isEmpty else { return [:] }
        let transition = JobTransition.giveUp
        let rows = try await database.query("""
            WITH changed AS (
                UPDATE solutions s SET status = \(transition.to.rawValue)::solution_status, error_message = \(Self.errorJSON(error)),
                    completed_at = now(), lease_expires_at = NULL
                FROM unnest(\(jobs.map(\.id))::uuid[], \(jobs.map(\.attempt))::int4[]) AS u(id, attempt)
                WHERE s.id = u.id AND s.status::text = ANY(\(transition.fromStatuses)::text[])
                  AND (s.status = 'queued' OR s.attempt = u.attempt OR s.lease_expires_at < now())
                RETURNING s.id, s.charge_id, s.problem_id, s.stats_date, s.status, s.cost_paid, s.processing_time_ms
            ), \(unescaped: Self.countOutcomes(of: "changed")), \(unescaped: Self.notifyEnded(of: "changed"))
            SELECT c.id, c.charge_id FROM changed c CROSS JOIN (SELECT count(*) FROM notified) n
            """)
        var changed: [UUID: UUID?] = [:]
        for try await (id, charge) in rows.decode((UUID, UUID?).self) { changed[id] = charge }
        return changed
    }

    /// `requeue`: attempts whose worker died go back to `queued` (the caller rings the doorbell).
    /// Returns the jobs that moved.
    func requeue(_ jobs: [(id: UUID, attempt: Int)]) async throws -> Set<UUID> {
        guard !jobs.isEmpty else { return [] }
        let transition = JobTransition.requeue
        let rows = try await database.query("""
            UPDATE solutions s SET status = \(transition.to.rawValue)::solution_status, lease_expires_at = NULL
            FROM unnest(\(jobs.map(\.id))::uuid[], \(jobs.map(\.attempt))::int4[]) AS u(id, attempt)
            WHERE s.id = u.id AND s.attempt = u.attempt AND s.status::text = ANY(\(transition.fromStatuses)::text[])
            RETURNING s.id
            """)
        var moved: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { moved.insert(id) }
        return moved
    }

    /// `cancel` for the owner, with the day's statistics. Returns the charge when it moved.
    func cancel(id: UUID, userID: UUID) async throws -> (cancelled: Bool, chargeID: UUID?) {
        let transition = JobTransition.cancel
        let error = Self.errorJSON(.init(code: "cancelled", vi: "Đã huỷ theo yêu cầu.", en: "Cancelled by the user."))
        let rows = try await database.query("""
            WITH changed AS (
                UPDATE solutions s SET status = \(transition.to.rawValue)::solution_status, completed_at = now(), error_message = \(error)
                WHERE s.id = \(id) AND s.user_id = \(userID) AND s.status::text = ANY(\(transition.fromStatuses)::text[])
                RETURNING s.id, s.charge_id, s.problem_id, s.stats_date, s.status, s.cost_paid, s.processing_time_ms
            ), \(unescaped: Self.countOutcomes(of: "changed")), \(unescaped: Self.notifyEnded(of: "changed"))
            SELECT c.charge_id FROM changed c CROSS JOIN (SELECT count(*) FROM notified) n
            """).collectRows()
        guard let row = rows.first else { return (false, nil) }
        return (true, try row.decode(UUID?.self))
    }

    // MARK: Reads

    public func record(_ id: UUID) async throws -> SolutionRecord? {
        let rows = try await database.prepared(Record.self, """
            SELECT \(unescaped: Self.columns) FROM solutions s JOIN math_problems p ON p.id = s.problem_id WHERE s.id = \(id)
            """)
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
            total = Int(try columns[15].decode(Int64.self))
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

    // MARK: Reconciler queries

    /// The jobs paid for by `chargeIDs` (the reconciler's view of holds still pending).
    func jobs(chargeIDs: [UUID]) async throws -> [UUID: JobState] {
        guard !chargeIDs.isEmpty else { return [:] }
        var jobs: [UUID: JobState] = [:]
        for try await (id, status, attempt, charge, priority) in try await database.query("""
            SELECT id, status::text, attempt, charge_id, priority FROM solutions WHERE charge_id = ANY(\(chargeIDs)::uuid[])
            """).decode((UUID, String, Int, UUID, Int16).self) {
            jobs[charge] = JobState(
                id: id, status: SolutionStatus(rawValue: status) ?? .failed, attempt: attempt, chargeID: charge, priority: Int(priority), leaseExpired: false
            )
        }
        return jobs
    }

    /// Processing jobs whose lease ran out.
    func expiredLeases(limit: Int = 500) async throws -> [JobState] {
        var result: [JobState] = []
        for try await (id, attempt, charge, priority) in try await database.query("""
            SELECT id, attempt, charge_id, priority FROM solutions WHERE status = 'processing' AND lease_expires_at < now() LIMIT \(limit)
            """).decode((UUID, Int, UUID?, Int16).self) {
            result.append(JobState(id: id, status: .processing, attempt: attempt, chargeID: charge, priority: Int(priority), leaseExpired: true))
        }
        return result
    }

    /// Queued jobs last changed more than `age` ago, oldest first.
    func queued(olderThan age: Duration, limit: Int = 1000) async throws -> [(id: UUID, priority: Int)] {
        let rows = try await database.query("""
            SELECT id, priority FROM solutions
            WHERE status = 'queued' AND updated_at < now() - make_interval(secs => \(Int(age.timeInterval)))
            ORDER BY created_at LIMIT \(limit)
            """)
        var result: [(UUID, Int)] = []
        for try await (id, priority) in rows.decode((UUID, Int16).self) { result.append((id, Int(priority))) }
        return result
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

    /// Ids per notification: PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more, and an
    /// id with its comma is 37, so one payload for a whole batch failed every batch of more than
    /// 216 jobs (a completer that fell behind then retried the same batch until its leases ran out).
    static let idsPerNotification = 200

    /// The CTE `notified` that wakes the long polls of the jobs `source` ended: their ids in
    /// notifications of at most `idsPerNotification`. A SELECT in WITH runs only as far as the
    /// outer query reads it, so the caller reads all of it (`CROSS JOIN (SELECT count(*) FROM notified)`).
    static func notifyEnded(of source: String) -> String {
        """
        notified AS (
            SELECT pg_notify('\(JobLifecycle.doneChannel)', string_agg(id::text, ','))
            FROM (SELECT id, (row_number() OVER () - 1) / \(idsPerNotification) AS chunk FROM \(source)) ended
            GROUP BY chunk
        )
        """
    }

    /// The `problem_statistics` upsert for the jobs a data-modifying CTE named `source` ended
    /// (columns problem_id, stats_date, status, cost_paid, processing_time_ms), summed per
    /// problem and day: the statistics move in the same statement as the states they count.
    static func countOutcomes(of source: String) -> String {
        """
        counted AS (
            INSERT INTO problem_statistics (problem_id, date, total_requests, successful_solutions, failed_solutions, cancelled_solutions,
                                            total_revenue, total_processing_time_ms, timed_solutions, avg_processing_time_ms)
            SELECT problem_id, stats_date, 0,
                   count(*) FILTER (WHERE status = 'completed'),
                   count(*) FILTER (WHERE status IN ('failed', 'timeout')),
                   count(*) FILTER (WHERE status = 'cancelled'),
                   COALESCE(sum(cost_paid) FILTER (WHERE status = 'completed'), 0),
                   COALESCE(sum(processing_time_ms) FILTER (WHERE status = 'completed'), 0),
                   count(*) FILTER (WHERE status = 'completed' AND processing_time_ms IS NOT NULL),
                   ROUND(avg(processing_time_ms) FILTER (WHERE status = 'completed'), 2)
            FROM \(source) GROUP BY problem_id, stats_date
            ON CONFLICT (problem_id, date) DO UPDATE SET
                successful_solutions = problem_statistics.successful_solutions + EXCLUDED.successful_solutions,
                failed_solutions = problem_statistics.failed_solutions + EXCLUDED.failed_solutions,
                cancelled_solutions = problem_statistics.cancelled_solutions + EXCLUDED.cancelled_solutions,
                total_revenue = problem_statistics.total_revenue + EXCLUDED.total_revenue,
                total_processing_time_ms = problem_statistics.total_processing_time_ms + EXCLUDED.total_processing_time_ms,
                timed_solutions = problem_statistics.timed_solutions + EXCLUDED.timed_solutions,
                avg_processing_time_ms = CASE WHEN problem_statistics.timed_solutions + EXCLUDED.timed_solutions > 0
                    THEN ROUND((problem_statistics.total_processing_time_ms + EXCLUDED.total_processing_time_ms)::numeric
                               / (problem_statistics.timed_solutions + EXCLUDED.timed_solutions), 2) END
        )
        """
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
