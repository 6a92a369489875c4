import Foundation
import MathFarmCore
import PostgresNIO
import UserService

/// One broken ledger invariant (ARCHITECTURE.md section 2), with enough detail to find the row.
public struct InvariantViolation: Sendable, Equatable, CustomStringConvertible {
    public var invariant: Int
    public var subject: String
    public var detail: String

    public var description: String { "invariant \(invariant) [\(subject)]: \(detail)" }

    public init(invariant: Int, subject: String, detail: String) {
        self.invariant = invariant
        self.subject = subject
        self.detail = detail
    }
}

/// Verifies the ledger invariants 1, 3 and 4 without changing anything.
public struct LedgerReconciler: Sendable {
    let database: Database
    let projection: BalanceProjection
    let holdGrace: Duration

    public init(database: Database, projection: BalanceProjection, holdGrace: Duration) {
        self.database = database
        self.projection = projection
        self.holdGrace = holdGrace
    }

    /// Open holds and the age of the oldest, for the `/metrics` gauges.
    public func openHolds() async throws -> (count: Int, oldestAgeSeconds: Double) {
        let rows = try await database.query("""
            SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
            FROM transactions WHERE transaction_type = 'solve_charge' AND status = 'pending'
            """).collectRows()
        guard let row = rows.first else { return (0, 0) }
        let (count, age) = try row.decode((Int64, Double).self)
        return (Int(count), age)
    }

    public func check() async throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        violations += try await walletTotals()
        violations += try await overdueHolds()
        violations += try await snapshotChains()
        violations += try await projectionDrift()
        return violations
    }

    /// 1. available + held = deposited − spent, available ≥ 0, held = Σ pending solve charges.
    func walletTotals() async throws -> [InvariantViolation] {
        let rows = try await database.query("""
            SELECT w.user_id, (w.available * 100)::int8, (w.held * 100)::int8, (w.total_deposited * 100)::int8,
                   (w.total_spent * 100)::int8, (COALESCE(p.pending, 0) * 100)::int8
            FROM wallets w
            LEFT JOIN (
                SELECT user_id, sum(amount) AS pending FROM transactions
                WHERE transaction_type = 'solve_charge' AND status = 'pending' GROUP BY user_id
            ) p ON p.user_id = w.user_id
            """)
        var violations: [InvariantViolation] = []
        for try await (user, available, held, deposited, spent, pending) in rows.decode((UUID, Int64, Int64, Int64, Int64, Int64).self) {
            let subject = "wallet \(user.uuidString.lowercased())"
            if available + held != deposited - spent {
                violations.append(.init(invariant: 1, subject: subject, detail: "available + held = \(Money(minorUnits: available + held)) but deposited - spent = \(Money(minorUnits: deposited - spent))"))
            }
            if available < 0 {
                violations.append(.init(invariant: 1, subject: subject, detail: "available is negative: \(Money(minorUnits: available))"))
            }
            if held != pending {
                violations.append(.init(invariant: 1, subject: subject, detail: "held = \(Money(minorUnits: held)) but pending solve charges sum to \(Money(minorUnits: pending))"))
            }
        }
        // Money movements of users with no wallet at all. A deposit that never completed moved
        // nothing (a customer may open one before any wallet exists): not a violation.
        let orphans = try await database.query("""
            SELECT DISTINCT t.user_id FROM transactions t LEFT JOIN wallets w ON w.user_id = t.user_id
            WHERE w.user_id IS NULL
              AND NOT (t.transaction_type = 'deposit' AND t.status IN ('pending', 'failed', 'expired', 'cancelled'))
            """)
        for try await user in orphans.decode(UUID.self) {
            violations.append(.init(invariant: 1, subject: "wallet \(user.uuidString.lowercased())", detail: "transactions exist but the wallet does not"))
        }
        return violations
    }

    /// 3. No hold stays pending past its expiry plus the grace period.
    func overdueHolds() async throws -> [InvariantViolation] {
        let rows = try await database.query("""
            SELECT id, user_id, expires_at FROM transactions
            WHERE transaction_type = 'solve_charge' AND status = 'pending'
              AND (expires_at IS NULL OR expires_at < now() - make_interval(secs => \(Int(holdGrace.timeInterval))))
            """)
        var violations: [InvariantViolation] = []
        for try await (id, user, expires) in rows.decode((UUID, UUID, Date?).self) {
            violations.append(.init(
                invariant: 3, subject: "hold \(id.uuidString.lowercased())",
                detail: "user \(user.uuidString.lowercased()) hold still pending, expired at \(expires.map { "\($0)" } ?? "never set")"
            ))
        }
        return violations
    }

    /// 4a. Snapshots chain without gaps: versions 1...n, each before = previous after, the last
    ///     after = the wallet's available, and each snapshot's change is consistent.
    func snapshotChains() async throws -> [InvariantViolation] {
        let rows = try await database.query("""
            SELECT b.user_id, b.wallet_version, (b.balance_before * 100)::int8, (b.balance_after * 100)::int8,
                   (LAG(b.balance_after) OVER w * 100)::int8, LAG(b.wallet_version) OVER w,
                   (wl.available * 100)::int8, wl.version
            FROM balances b LEFT JOIN wallets wl ON wl.user_id = b.user_id
            WINDOW w AS (PARTITION BY b.user_id ORDER BY b.wallet_version)
            ORDER BY b.user_id, b.wallet_version
            """)
        var violations: [InvariantViolation] = []
        var last: [UUID: (version: Int64, after: Int64, walletAvailable: Int64?, walletVersion: Int64?)] = [:]
        for try await (user, version, before, after, previousAfter, previousVersion, walletAvailable, walletVersion) in rows.decode(
            (UUID, Int64, Int64, Int64, Int64?, Int64?, Int64?, Int64?).self
        ) {
            let subject = "wallet \(user.uuidString.lowercased())"
            let expectedVersion = (previousVersion ?? 0) + 1
            if version != expectedVersion {
                violations.append(.init(invariant: 4, subject: subject, detail: "snapshot version \(version) follows \(previousVersion ?? 0): gap"))
            }
            let expectedBefore = previousAfter ?? 0
            if before != expectedBefore {
                violations.append(.init(invariant: 4, subject: subject, detail: "snapshot v\(version) before = \(Money(minorUnits: before)) but the previous after = \(Money(minorUnits: expectedBefore))"))
            }
            last[user] = (version, after, walletAvailable, walletVersion)
        }
        for (user, tail) in last {
            let subject = "wallet \(user.uuidString.lowercased())"
            if tail.walletVersion != tail.version {
                violations.append(.init(invariant: 4, subject: subject, detail: "wallet version \(tail.walletVersion.map(String.init) ?? "missing") but the last snapshot is v\(tail.version)"))
            }
            if let available = tail.walletAvailable, available != tail.after {
                violations.append(.init(invariant: 4, subject: subject, detail: "wallet available \(Money(minorUnits: available)) but the last snapshot says \(Money(minorUnits: tail.after))"))
            }
        }
        return violations
    }

    /// 4b. `user_balance` equals the wallet, for every user whose outbox events are all relayed.
    func projectionDrift() async throws -> [InvariantViolation] {
        let projected = try await projection.allStates()
        let rows = try await database.query("""
            SELECT w.user_id, (w.available * 100)::int8, (w.held * 100)::int8, (w.total_deposited * 100)::int8,
                   (w.total_spent * 100)::int8, w.version,
                   EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = w.user_id AND o.published_at IS NULL)
            FROM wallets w
            """)
        var violations: [InvariantViolation] = []
        for try await (user, available, held, deposited, spent, version, undelivered) in rows.decode((UUID, Int64, Int64, Int64, Int64, Int64, Bool).self) {
            guard !undelivered else { continue }
            let subject = "user_balance \(user.uuidString.lowercased())"
            guard let state = projected[user] else {
                if version > 0 { violations.append(.init(invariant: 4, subject: subject, detail: "no user_balance row for a wallet at v\(version)")) }
                continue
            }
            if state.available.minorUnits != available || state.held.minorUnits != held
                || state.totalDeposited.minorUnits != deposited || state.totalSpent.minorUnits != spent || state.version != version {
                violations.append(.init(
                    invariant: 4, subject: subject,
                    detail: "projection (available \(state.available), held \(state.held), v\(state.version)) differs from the wallet (available \(Money(minorUnits: available)), held \(Money(minorUnits: held)), v\(version))"
                ))
            }
        }
        return violations
    }
}
