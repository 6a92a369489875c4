import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import UserService

/// Wallet rows locked inside one ledger transaction, and the one way to change them.
///
/// `lock` takes the row locks in `user_id` order, so two transactions that touch the same
/// wallets (a batch of holds and a batch of settlements) queue behind each other instead of
/// deadlocking. `change` applies deltas in memory and records one change per call; `write`
/// then stores the new totals, one balance snapshot per change (chained by wallet version)
/// and one `wallet.changed` outbox event per change, with three statements however many
/// wallets and changes the transaction holds.
struct LockedWallets {
    private(set) var totals: [UUID: WalletState.Totals]
    private(set) var versions: [UUID: Int64]
    private var changes: [Change] = []

    private struct Change {
        let userID: UUID
        let transactionID: UUID
        let before: WalletState.Totals
        let after: WalletState.Totals
        let version: Int64
    }

    /// Creates missing wallets, then locks every wallet of `userIDs` (duplicates allowed).
    static func lock(_ userIDs: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> LockedWallets {
        let users = Array(Set(userIDs)).sorted { $0.uuidString < $1.uuidString }
        var wallets = LockedWallets(totals: [:], versions: [:])
        guard !users.isEmpty else { return wallets }
        try await wallets.lockRows(users, on: connection, logger: logger)
        let missing = users.filter { wallets.totals[$0] == nil }
        if !missing.isEmpty {
            // First money movement of these users: create their wallets, then lock them too.
            try await connection.query("""
                INSERT INTO wallets (user_id) SELECT u FROM unnest(\(missing)::uuid[]) AS u ON CONFLICT (user_id) DO NOTHING
                """, logger: logger)
            try await wallets.lockRows(missing, on: connection, logger: logger)
        }
        guard wallets.totals.count == users.count else { throw APIError.internalError }
        return wallets
    }

    // Every money movement runs these: prepared once per connection.
    enum LockRows: PreparedQueryKey {}
    enum UpdateTotals: PreparedQueryKey {}
    enum InsertSnapshots: PreparedQueryKey {}
    enum InsertEvents: PreparedQueryKey {}

    private mutating func lockRows(_ users: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        for row in try await connection.prepared(LockRows.self, """
            SELECT user_id, (available * 100)::int8, (held * 100)::int8, (total_deposited * 100)::int8, (total_spent * 100)::int8, version
            FROM wallets WHERE user_id = ANY(\(users)::uuid[]) ORDER BY user_id FOR UPDATE
            """, logger: logger) {
            let (user, available, held, deposited, spent, version) = try row.decode((UUID, Int64, Int64, Int64, Int64, Int64).self)
            totals[user] = WalletState.Totals(
                available: Money(minorUnits: available), held: Money(minorUnits: held),
                totalDeposited: Money(minorUnits: deposited), totalSpent: Money(minorUnits: spent)
            )
            versions[user] = version
        }
    }

    func balance(of userID: UUID) -> WalletBalance {
        let current = totals[userID] ?? .init(available: .zero, held: .zero, totalDeposited: .zero, totalSpent: .zero)
        return WalletBalance(
            available: current.available, held: current.held, totalDeposited: current.totalDeposited, totalSpent: current.totalSpent
        )
    }

    /// Applies deltas to one locked wallet (in memory until `write`).
    mutating func change(
        _ userID: UUID, available availableDelta: Money = .zero, held heldDelta: Money = .zero,
        deposited depositedDelta: Money = .zero, spent spentDelta: Money = .zero, transactionID: UUID
    ) throws {
        guard let before = totals[userID], let version = versions[userID] else { throw APIError.internalError }
        let after = WalletState.Totals(
            available: before.available + availableDelta, held: before.held + heldDelta,
            totalDeposited: before.totalDeposited + depositedDelta, totalSpent: before.totalSpent + spentDelta
        )
        totals[userID] = after
        versions[userID] = version + 1
        changes.append(Change(userID: userID, transactionID: transactionID, before: before, after: after, version: version + 1))
    }

    /// Stores every recorded change on the caller's open transaction: the wallets' new totals,
    /// a balance snapshot of `available` per change, and a `wallet.changed` event per change.
    mutating func write(on connection: PostgresConnection, logger: Logger) async throws {
        guard !changes.isEmpty else { return }
        let changed = Array(Set(changes.map(\.userID)))
        let finals = changed.compactMap { user in totals[user].map { (user, $0) } }
        try await connection.prepared(UpdateTotals.self, """
            UPDATE wallets w SET available = u.available / 100.0, held = u.held / 100.0,
                total_deposited = u.deposited / 100.0, total_spent = u.spent / 100.0, version = u.version
            FROM unnest(\(finals.map(\.0))::uuid[], \(finals.map(\.1.available.minorUnits))::int8[],
                        \(finals.map(\.1.held.minorUnits))::int8[], \(finals.map(\.1.totalDeposited.minorUnits))::int8[],
                        \(finals.map(\.1.totalSpent.minorUnits))::int8[], \(finals.map { versions[$0.0] ?? 0 })::int8[])
                 AS u(user_id, available, held, deposited, spent, version)
            WHERE w.user_id = u.user_id
            """, logger: logger)
        try await connection.prepared(InsertSnapshots.self, """
            INSERT INTO balances (user_id, transaction_id, balance_before, balance_after, change_amount, wallet_version)
            SELECT u.user_id, u.transaction_id, u.before / 100.0, u.after / 100.0, (u.after - u.before) / 100.0, u.version
            FROM unnest(\(changes.map(\.userID))::uuid[], \(changes.map(\.transactionID))::uuid[],
                        \(changes.map(\.before.available.minorUnits))::int8[], \(changes.map(\.after.available.minorUnits))::int8[],
                        \(changes.map(\.version))::int8[])
                 AS u(user_id, transaction_id, before, after, version)
            """, logger: logger)
        // The event is `WalletState`'s JSON, built by the server from the same arrays (money as
        // "10000.00" strings, the time in whole seconds, UTC).
        func minor(_ path: KeyPath<Change, Money>) -> [Int64] { changes.map { $0[keyPath: path].minorUnits } }
        try await connection.prepared(InsertEvents.self, """
            INSERT INTO outbox (topic, aggregate_id, payload)
            SELECT \(OutboxTopic.walletChanged), u.user_id, jsonb_build_object(
                'user_id', upper(u.user_id::text), 'version', u.version, 'transaction_id', upper(u.transaction_id::text),
                'changed_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'available', (u.available / 100.0)::numeric(17, 2)::text, 'held', (u.held / 100.0)::numeric(17, 2)::text,
                'total_deposited', (u.deposited / 100.0)::numeric(17, 2)::text, 'total_spent', (u.spent / 100.0)::numeric(17, 2)::text,
                'previous', jsonb_build_object(
                    'available', (u.old_available / 100.0)::numeric(17, 2)::text, 'held', (u.old_held / 100.0)::numeric(17, 2)::text,
                    'total_deposited', (u.old_deposited / 100.0)::numeric(17, 2)::text, 'total_spent', (u.old_spent / 100.0)::numeric(17, 2)::text))
            FROM unnest(\(changes.map(\.userID))::uuid[], \(changes.map(\.transactionID))::uuid[], \(changes.map(\.version))::int8[],
                        \(minor(\.after.available))::int8[], \(minor(\.after.held))::int8[],
                        \(minor(\.after.totalDeposited))::int8[], \(minor(\.after.totalSpent))::int8[],
                        \(minor(\.before.available))::int8[], \(minor(\.before.held))::int8[],
                        \(minor(\.before.totalDeposited))::int8[], \(minor(\.before.totalSpent))::int8[])
                 WITH ORDINALITY AS u(user_id, transaction_id, version, available, held, deposited, spent,
                                      old_available, old_held, old_deposited, old_spent, n)
            ORDER BY u.n
            """, logger: logger)
        changes.removeAll()
    }
}

/// One wallet locked inside a ledger transaction (deposits, refunds, adjustments): a
/// `LockedWallets` of one user whose changes are written at once.
struct LockedWallet {
    let userID: UUID
    private var wallets: LockedWallets

    var available: Money { wallets.totals[userID]?.available ?? .zero }
    var held: Money { wallets.totals[userID]?.held ?? .zero }
    var totalDeposited: Money { wallets.totals[userID]?.totalDeposited ?? .zero }
    var totalSpent: Money { wallets.totals[userID]?.totalSpent ?? .zero }
    var balance: WalletBalance { wallets.balance(of: userID) }

    /// Creates the wallet on first use, then takes its row lock (every money change does).
    static func lock(_ userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LockedWallet {
        LockedWallet(userID: userID, wallets: try await LockedWallets.lock([userID], on: connection, logger: logger))
    }

    /// Applies deltas and records the snapshot (of `available`) and the outbox event.
    mutating func change(
        available availableDelta: Money = .zero, held heldDelta: Money = .zero,
        deposited depositedDelta: Money = .zero, spent spentDelta: Money = .zero,
        transactionID: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try wallets.change(
            userID, available: availableDelta, held: heldDelta, deposited: depositedDelta, spent: spentDelta, transactionID: transactionID
        )
        try await wallets.write(on: connection, logger: logger)
    }
}

public enum OutboxTopic {
    public static let walletChanged = "wallet.changed"
}
