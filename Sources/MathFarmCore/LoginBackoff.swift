import Foundation
import PostgresNIO

/// Failed-login backoff: delays that double with each failure past a free allowance, kept per
/// scope (an account, an account from one address, an address over all accounts), in a table of
/// the service's own database so every API replica shares it.
///
/// No scope locks for good: each delay has a cap, and the account-wide scope (the one anybody
/// can push on from anywhere) has a short one, so an attacker who knows a user name can slow its
/// owner down by at most that cap, while the attacker's own address (account + address scope)
/// is held back for the long cap. A school or a mobile carrier's NAT shares one address: its
/// allowance over all accounts is high. A success clears the account scopes (not the address).
/// Failures are forgotten `window` after the last one.
public struct LoginBackoff: Sendable {
    public struct Rule: Sendable {
        /// Failures before the first delay (the last of them starts it).
        public var freeFailures: Int
        /// The first delay; each further failure doubles it.
        public var firstDelay: Duration
        /// The longest delay.
        public var maximumDelay: Duration

        public init(freeFailures: Int, firstDelay: Duration = .seconds(5), maximumDelay: Duration) {
            self.freeFailures = freeFailures
            self.firstDelay = firstDelay
            self.maximumDelay = maximumDelay
        }

        /// The delay after `failures` failures in a row: none before the allowance is spent,
        /// then first × 2^(failures − free), capped (with 5 free and the default 5 s: the 5th
        /// failure waits 5 s, the 6th 10 s, the 7th 20 s … up to the cap).
        public func delay(afterFailures failures: Int) -> Duration {
            let excess = failures - freeFailures
            guard excess >= 0 else { return .zero }
            let doublings = min(excess, 40)
            let seconds = firstDelay.timeInterval * pow(2, Double(doublings))
            return min(.milliseconds(Int64(min(seconds, 1e9) * 1000)), maximumDelay)
        }
    }

    /// A thing failures are counted against: a scope name (at most 16 characters) and a subject.
    public struct Subject: Sendable, Hashable {
        public var scope: String
        public var subject: String

        public init(_ scope: String, _ subject: String) {
            self.scope = scope
            self.subject = String(subject.prefix(400))
        }
    }

    let database: Database
    /// `login_throttle` (customers) or `staff_login_throttle` (staff): a constant, never input.
    let table: String
    let window: Duration
    let rules: [String: Rule]

    public init(database: Database, table: StaticString, window: Duration, rules: [String: Rule]) {
        self.database = database
        self.table = "\(table)"
        self.window = window
        self.rules = rules
    }

    /// 429 `too_many_login_attempts` with `Retry-After` while any subject is held back. A right
    /// password is refused too: otherwise the delay would not slow a guesser down.
    public func check(_ subjects: [Subject]) async throws {
        var longest: Int64 = 0
        for subject in subjects {
            let rows = try await database.query("""
                SELECT CEIL(EXTRACT(EPOCH FROM (blocked_until - now())))::int8 FROM \(unescaped: table)
                WHERE scope = \(subject.scope) AND subject = \(subject.subject) AND blocked_until > now()
                """).collectRows()
            if let seconds = try rows.first?.decode(Int64.self) { longest = max(longest, max(seconds, 1)) }
        }
        if longest > 0 { throw APIError.tooManyLoginAttempts(retryAfter: longest) }
    }

    public func recordFailure(_ subjects: [Subject]) async throws {
        let windowSeconds = Int(window.timeInterval)
        for subject in subjects {
            guard let rule = rules[subject.scope] else { continue }
            let rows = try await database.query("""
                INSERT INTO \(unescaped: table) AS t (scope, subject, failures, window_started_at, last_failure_at)
                VALUES (\(subject.scope), \(subject.subject), 1, now(), now())
                ON CONFLICT (scope, subject) DO UPDATE SET
                    failures = CASE WHEN t.last_failure_at > now() - make_interval(secs => \(windowSeconds)) THEN t.failures + 1 ELSE 1 END,
                    window_started_at = CASE WHEN t.last_failure_at > now() - make_interval(secs => \(windowSeconds)) THEN t.window_started_at ELSE now() END,
                    last_failure_at = now()
                RETURNING failures
                """).collectRows()
            let failures = try rows.first?.decode(Int.self) ?? 1
            let delay = rule.delay(afterFailures: failures)
            if delay > .zero {
                try await database.query("""
                    UPDATE \(unescaped: table) SET blocked_until = now() + make_interval(secs => \(delay.timeInterval))
                    WHERE scope = \(subject.scope) AND subject = \(subject.subject)
                    """)
            }
        }
    }

    /// Forgets the subjects' failures (a successful login, an unlock).
    public func reset(_ subjects: [Subject]) async throws {
        for subject in subjects {
            try await database.query("DELETE FROM \(unescaped: table) WHERE scope = \(subject.scope) AND subject = \(subject.subject)")
        }
    }

    /// Forgets every subject of `scope` whose text starts with `prefix` (an account from every
    /// address, for an unlock).
    public func reset(scope: String, subjectPrefix prefix: String) async throws {
        let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        try await database.query("DELETE FROM \(unescaped: table) WHERE scope = \(scope) AND subject LIKE \(pattern)")
    }

    /// Until when `subject` is held back, if it is.
    public func blockedUntil(_ subject: Subject) async throws -> Date? {
        let rows = try await database.query("""
            SELECT blocked_until FROM \(unescaped: table)
            WHERE scope = \(subject.scope) AND subject = \(subject.subject) AND blocked_until > now()
            """).collectRows()
        return try rows.first?.decode(Date.self)
    }

    /// Removes subjects whose failures are forgotten and whose delay ended (the periodic sweeper).
    public func prune() async throws {
        try await database.query("""
            DELETE FROM \(unescaped: table)
            WHERE last_failure_at < now() - make_interval(secs => \(Int(window.timeInterval)))
              AND (blocked_until IS NULL OR blocked_until < now())
            """)
    }
}

extension APIError {
    /// Too many failed logins: the caller waits `retryAfter` seconds (also the `Retry-After` header).
    public static func tooManyLoginAttempts(retryAfter seconds: Int64) -> APIError {
        APIError(
            .tooManyRequests, code: "too_many_login_attempts",
            vi: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(seconds) giây.",
            en: "Too many failed logins. Try again in \(seconds) seconds.",
            details: ["retry_after": String(seconds)],
            headers: [.retryAfter: String(seconds)]
        )
    }
}
