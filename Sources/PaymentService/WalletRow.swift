import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import UserService

/// A wallet row locked inside a ledger transaction, and the one way to change it.
///
/// `change` writes the new totals, bumps the version, appends the balance snapshot and the
/// `wallet.changed` outbox event, all on the caller's open transaction.
struct LockedWallet {
    let userID: UUID
    var available: Money
    var held: Money
    var totalDeposited: Money
    var totalSpent: Money
    var version: Int64

    var balance: WalletBalance {
        WalletBalance(available: available, held: held, totalDeposited: totalDeposited, totalSpent: totalSpent)
    }

    /// Creates the wallet on first use, then takes its row lock (every money change does).
    static func lock(_ userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LockedWallet {
        try await connection.query(
            "INSERT INTO wallets (user_id) VALUES (\(userID)) ON CONFLICT (user_id) DO NOTHING", logger: logger
        )
        let rows = try await connection.query("""
            SELECT (available * 100)::int8, (held * 100)::int8, (total_deposited * 100)::int8, (total_spent * 100)::int8, version
            FROM wallets WHERE user_id = \(userID) FOR UPDATE
            """, logger: logger).collectRows()
        guard let row = rows.first else { throw APIError.internalError }
        let (available, held, deposited, spent, version) = try row.decode((Int64, Int64, Int64, Int64, Int64).self)
        return LockedWallet(
            userID: userID, available: Money(minorUnits: available), held: Money(minorUnits: held),
            totalDeposited: Money(minorUnits: deposited), totalSpent: Money(minorUnits: spent), version: version
        )
    }

    /// Applies deltas and records the snapshot (of `available`) and the outbox event.
    mutating func change(
        available availableDelta: Money = .zero, held heldDelta: Money = .zero,
        deposited depositedDelta: Money = .zero, spent spentDelta: Money = .zero,
        transactionID: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let before = available
        let previous = WalletState.Totals(available: available, held: held, totalDeposited: totalDeposited, totalSpent: totalSpent)
        available = available + availableDelta
        held = held + heldDelta
        totalDeposited = totalDeposited + depositedDelta
        totalSpent = totalSpent + spentDelta
        version += 1
        try await connection.query("""
            UPDATE wallets SET
                available = \(available.minorUnits)::int8 / 100.0, held = \(held.minorUnits)::int8 / 100.0,
                total_deposited = \(totalDeposited.minorUnits)::int8 / 100.0, total_spent = \(totalSpent.minorUnits)::int8 / 100.0,
                version = \(version)
            WHERE user_id = \(userID)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO balances (user_id, transaction_id, balance_before, balance_after, change_amount, wallet_version)
            VALUES (\(userID), \(transactionID), \(before.minorUnits)::int8 / 100.0, \(available.minorUnits)::int8 / 100.0,
                    \(availableDelta.minorUnits)::int8 / 100.0, \(version))
            """, logger: logger)
        let state = WalletState(
            userID: userID, available: available, held: held, totalDeposited: totalDeposited,
            totalSpent: totalSpent, version: version, changedAt: Date(), previous: previous, transactionID: transactionID
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(decoding: try encoder.encode(state), as: UTF8.self)
        try await connection.query("""
            INSERT INTO outbox (topic, aggregate_id, payload) VALUES (\(OutboxTopic.walletChanged), \(userID), \(payload)::jsonb)
            """, logger: logger)
    }
}

public enum OutboxTopic {
    public static let walletChanged = "wallet.changed"
}
