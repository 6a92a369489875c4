import Foundation
import MathFarmCore
import PostgresNIO

/// Counts failed customer logins per email and per client IP in a fixed window, in the
/// database so every API replica shares the count.
///
/// After `maxFailures` failures within `window`, further attempts are refused with 429 and a
/// `Retry-After` until the window ends; a successful login clears the email's count.
public struct LoginThrottle: Sendable {
    public enum Scope: String, Sendable {
        case email
        case ip
    }

    let database: Database
    let maxFailures: Int
    let window: Duration

    public init(database: Database, maxFailures: Int, window: Duration) {
        self.database = database
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Throws 429 when any of the subjects is over its limit.
    public func check(_ subjects: [(Scope, String)]) async throws {
        let windowSeconds = Int(window.timeInterval)
        for (scope, subject) in subjects {
            let rows = try await database.query("""
                SELECT failures, GREATEST(1, CEIL(EXTRACT(EPOCH FROM (window_started_at + make_interval(secs => \(windowSeconds)) - now()))))::int8
                FROM login_throttle
                WHERE scope = \(scope.rawValue) AND subject = \(subject)
                  AND window_started_at > now() - make_interval(secs => \(windowSeconds))
                """).collectRows()
            guard let row = rows.first else { continue }
            let (failures, retryAfter) = try row.decode((Int, Int64).self)
            if failures >= maxFailures {
                throw APIError(
                    .tooManyRequests, code: "too_many_login_attempts",
                    vi: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(retryAfter) giây.",
                    en: "Too many failed logins. Try again in \(retryAfter) seconds.",
                    details: ["retry_after": String(retryAfter)],
                    headers: [.retryAfter: String(retryAfter)]
                )
            }
        }
    }

    public func recordFailure(_ subjects: [(Scope, String)]) async throws {
        let windowSeconds = Int(window.timeInterval)
        for (scope, subject) in subjects {
            try await database.query("""
                INSERT INTO login_throttle (scope, subject, failures, window_started_at)
                VALUES (\(scope.rawValue), \(subject), 1, now())
                ON CONFLICT (scope, subject) DO UPDATE SET
                    failures = CASE WHEN login_throttle.window_started_at > now() - make_interval(secs => \(windowSeconds))
                                    THEN login_throttle.failures + 1 ELSE 1 END,
                    window_started_at = CASE WHEN login_throttle.window_started_at > now() - make_interval(secs => \(windowSeconds))
                                    THEN login_throttle.window_started_at ELSE now() END
                """)
        }
    }

    public func reset(_ scope: Scope, _ subject: String) async throws {
        try await database.query("DELETE FROM login_throttle WHERE scope = \(scope.rawValue) AND subject = \(subject)")
    }

    /// Removes windows that ended (run by the periodic sweeper).
    public func prune() async throws {
        try await database.query("""
            DELETE FROM login_throttle WHERE window_started_at < now() - make_interval(secs => \(Int(window.timeInterval)))
            """)
    }
}
