import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import UserService

/// Wallet rows locked inside one ledger transaction, and the one way to change them.
///
/// `lock` takes the row locks in `user_id` order, so two transactions that touch the same
/// wallets (a batch of holds and a batch of settlements) queue behind each other instead of
/// deadlocking. `change` applies deltas in memory and records one change per call;
/// `LedgerWrite` then stores the new totals, one balance snapshot per change (chained by wallet
/// version) and one `wallet.changed` outbox event per change, in the one statement that also
/// writes the transaction rows and their logs.
struct LockedWallets {
    private(set) var totals: [UUID: WalletState.Totals]
    private(set) var versions: [UUID: Int64]
    private var changes: [Change] = []

    struct Change {
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

    // Every money movement runs this: prepared once per connection.
    enum LockRows: PreparedQueryKey {}

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

    /// A wallet's totals after every recorded change, and its version then.
    struct Final {
        let userID: UUID
        let totals: WalletState.Totals
        let version: Int64
    }

    /// The recorded changes and each changed wallet's final state, for `LedgerWrite`; the
    /// changes are forgotten (written once).
    mutating func takeChanges() -> (changes: [Change], finals: [Final]) {
        let taken = changes
        changes.removeAll()
        let changed = Set(taken.map(\.userID)).sorted { $0.uuidString < $1.uuidString }
        let finals = changed.compactMap { user in
            totals[user].map { Final(userID: user, totals: $0, version: versions[user] ?? 0) }
        }
        return (taken, finals)
    }

    /// No wallets: for a `LedgerWrite` that moves no money (a log row only).
    static let none = LockedWallets(totals: [:], versions: [:])
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

    /// Applies deltas (in memory until `write`, which stores them with the snapshot of
    /// `available` and the outbox event).
    mutating func change(
        available availableDelta: Money = .zero, held heldDelta: Money = .zero,
        deposited depositedDelta: Money = .zero, spent spentDelta: Money = .zero, transactionID: UUID
    ) throws {
        try wallets.change(
            userID, available: availableDelta, held: heldDelta, deposited: depositedDelta, spent: spentDelta, transactionID: transactionID
        )
    }

    /// Writes `write`'s rows and logs with this wallet's changes, in one statement.
    mutating func write(
        _ write: LedgerWrite, by changedBy: String, started: ContinuousClock.Instant, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await write.execute(wallets: &wallets, by: changedBy, started: started, on: connection, logger: logger)
    }
}

public enum OutboxTopic {
    public static let walletChanged = "wallet.changed"
}
