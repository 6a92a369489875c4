import Foundation
import MathFarmCore
import PostgresNIO

/// The wallet state carried by a `wallet.changed` outbox event.
public struct WalletState: Codable, Sendable, Equatable {
    public var userID: UUID
    public var available: Money
    public var held: Money
    public var totalDeposited: Money
    public var totalSpent: Money
    public var version: Int64
    public var changedAt: Date
    /// The totals before this change, so the audit trail can show old and new values (nil in
    /// events written before the field existed).
    public var previous: Totals?
    /// The ledger transaction that made the change.
    public var transactionID: UUID?

    /// A wallet's four totals at one version.
    public struct Totals: Codable, Sendable, Equatable {
        public var available: Money
        public var held: Money
        public var totalDeposited: Money
        public var totalSpent: Money

        public init(available: Money, held: Money, totalDeposited: Money, totalSpent: Money) {
            self.available = available
            self.held = held
            self.totalDeposited = totalDeposited
            self.totalSpent = totalSpent
        }

        enum CodingKeys: String, CodingKey {
            case available, held
            case totalDeposited = "total_deposited"
            case totalSpent = "total_spent"
        }
    }

    public init(
        userID: UUID, available: Money, held: Money, totalDeposited: Money, totalSpent: Money, version: Int64, changedAt: Date,
        previous: Totals? = nil, transactionID: UUID? = nil
    ) {
        self.userID = userID
        self.available = available
        self.held = held
        self.totalDeposited = totalDeposited
        self.totalSpent = totalSpent
        self.version = version
        self.changedAt = changedAt
        self.previous = previous
        self.transactionID = transactionID
    }

    public var totals: Totals {
        Totals(available: available, held: held, totalDeposited: totalDeposited, totalSpent: totalSpent)
    }

    enum CodingKeys: String, CodingKey {
        case available, held, version, previous
        case userID = "user_id"
        case totalDeposited = "total_deposited"
        case totalSpent = "total_spent"
        case changedAt = "changed_at"
        case transactionID = "transaction_id"
    }
}

/// Keeps `user_balance` (the user service's read model of the wallet) current.
///
/// `apply` is idempotent and order-tolerant: a state only lands when its wallet version is newer
/// than the row's, so a relay that re-sends a batch after a crash changes nothing.
public struct BalanceProjection: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum ApplyResult: Sendable, Equatable {
        case applied
        case stale
        case unknownUser
    }

    @discardableResult
    public func apply(_ state: WalletState) async throws -> ApplyResult {
        do {
            let rows = try await database.query("""
                INSERT INTO user_balance (user_id, current_balance, held, total_deposited, total_spent, wallet_version, last_transaction_at)
                VALUES (\(state.userID), \(state.available.minorUnits)::int8 / 100.0, \(state.held.minorUnits)::int8 / 100.0,
                        \(state.totalDeposited.minorUnits)::int8 / 100.0, \(state.totalSpent.minorUnits)::int8 / 100.0,
                        \(state.version), \(state.changedAt))
                ON CONFLICT (user_id) DO UPDATE SET
                    current_balance = EXCLUDED.current_balance, held = EXCLUDED.held,
                    total_deposited = EXCLUDED.total_deposited, total_spent = EXCLUDED.total_spent,
                    wallet_version = EXCLUDED.wallet_version, last_transaction_at = EXCLUDED.last_transaction_at
                WHERE user_balance.wallet_version < EXCLUDED.wallet_version
                RETURNING 1
                """).collectRows()
            return rows.isEmpty ? .stale : .applied
        } catch let error as PSQLError where error.sqlState == "23503" {
            // The user row is gone (foreign key): nothing to project.
            return .unknownUser
        }
    }

    /// Applies a batch of states in one statement: per user the newest version wins, older ones
    /// and users that no longer exist are skipped. Returns how many rows changed.
    @discardableResult
    public func apply(_ states: [WalletState]) async throws -> Int {
        var newest: [UUID: WalletState] = [:]
        for state in states where (newest[state.userID]?.version ?? Int64.min) < state.version { newest[state.userID] = state }
        guard !newest.isEmpty else { return 0 }
        let batch = Array(newest.values)
        let rows = try await database.query("""
            INSERT INTO user_balance (user_id, current_balance, held, total_deposited, total_spent, wallet_version, last_transaction_at)
            SELECT u.user_id, u.available / 100.0, u.held / 100.0, u.deposited / 100.0, u.spent / 100.0, u.version, u.changed_at
            FROM unnest(\(batch.map(\.userID))::uuid[], \(batch.map(\.available.minorUnits))::int8[], \(batch.map(\.held.minorUnits))::int8[],
                        \(batch.map(\.totalDeposited.minorUnits))::int8[], \(batch.map(\.totalSpent.minorUnits))::int8[],
                        \(batch.map(\.version))::int8[], \(batch.map(\.changedAt))::timestamptz[])
                 AS u(user_id, available, held, deposited, spent, version, changed_at)
            WHERE EXISTS (SELECT 1 FROM users WHERE id = u.user_id)
            ON CONFLICT (user_id) DO UPDATE SET
                current_balance = EXCLUDED.current_balance, held = EXCLUDED.held,
                total_deposited = EXCLUDED.total_deposited, total_spent = EXCLUDED.total_spent,
                wallet_version = EXCLUDED.wallet_version, last_transaction_at = EXCLUDED.last_transaction_at
            WHERE user_balance.wallet_version < EXCLUDED.wallet_version
            RETURNING 1
            """).collectRows()
        return rows.count
    }

    /// The projected state of every user that has one, for reconciliation.
    public func allStates() async throws -> [UUID: WalletState] {
        var states: [UUID: WalletState] = [:]
        let rows = try await database.query("""
            SELECT user_id, (COALESCE(current_balance, 0) * 100)::int8, (held * 100)::int8,
                   (COALESCE(total_deposited, 0) * 100)::int8, (COALESCE(total_spent, 0) * 100)::int8,
                   wallet_version, COALESCE(last_transaction_at, created_at)
            FROM user_balance
            """)
        for try await (user, available, held, deposited, spent, version, at) in rows.decode((UUID, Int64, Int64, Int64, Int64, Int64, Date).self) {
            states[user] = WalletState(
                userID: user, available: Money(minorUnits: available), held: Money(minorUnits: held),
                totalDeposited: Money(minorUnits: deposited), totalSpent: Money(minorUnits: spent), version: version, changedAt: at
            )
        }
        return states
    }
}
