import Foundation
import MathFarmCore
import PostgresNIO

/// Daily figures per problem (`problem_statistics`, written by the workers in the same
/// transaction as each outcome): requests, successes, failures, revenue, average time.
public struct ProblemStatistics: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Day: Sendable, Encodable {
        public var date: String
        public var problem: String
        public var requests: Int
        public var successes: Int
        public var failures: Int
        public var revenue: Money
        public var averageTimeMs: String?

        enum CodingKeys: String, CodingKey {
            case date, problem, requests, successes, failures, revenue
            case averageTimeMs = "avg_processing_time_ms"
        }
    }

    public func days(from: String?, to: String?, problem: String?) async throws -> [Day] {
        let rows = try await database.query("""
            SELECT s.date::text, p.problem_type::text, COALESCE(s.total_requests, 0), COALESCE(s.successful_solutions, 0),
                   COALESCE(s.failed_solutions, 0), (COALESCE(s.total_revenue, 0) * 100)::int8, s.avg_processing_time_ms::text
            FROM problem_statistics s JOIN math_problems p ON p.id = s.problem_id
            WHERE (\(from)::date IS NULL OR s.date >= \(from)::date) AND (\(to)::date IS NULL OR s.date <= \(to)::date)
              AND (\(problem)::text IS NULL OR p.problem_type::text = \(problem))
            ORDER BY s.date DESC, p.problem_type LIMIT 1000
            """)
        var days: [Day] = []
        for try await (date, code, requests, successes, failures, revenue, average) in rows.decode((String, String, Int, Int, Int, Int64, String?).self) {
            days.append(Day(date: date, problem: code, requests: requests, successes: successes, failures: failures, revenue: Money(minorUnits: revenue), averageTimeMs: average))
        }
        return days
    }
}
