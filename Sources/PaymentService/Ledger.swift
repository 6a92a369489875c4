import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import UserService

/// The money ledger: the only code that changes wallets and transactions.
///
/// Every operation is one PostgreSQL transaction that locks the user's wallet row first, writes
/// the transaction, its status log row, the balance snapshot and the outbox event together, and
/// is idempotent: holds, credits and debits by their reference code, resolutions by the guarded
/// `pending → x` transition.
public struct Ledger: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    // MARK: Holds

    /// Reserves `amount` for a solve. Refused with 402 when `available` is short; placing the same
    /// reference again returns the first hold.
    public func placeHold(
        userID: UUID, amount: Money, reference: String, expiresIn: Duration,
        description: String? = nil, changedBy: String
    ) async throws -> Hold {
        guard amount.isPositive else { throw LedgerError.invalidAmount() }
        let started = ContinuousClock.now
        let expirySeconds = Int(expiresIn.timeInterval)
        let logger = self.logger
        return try await database.transaction { connection in
            var wallet = try await LockedWallet.lock(userID, on: connection, logger: logger)
            if let existing = try await Self.existing(reference: reference, on: connection, logger: logger) {
                guard existing.type == .solveCharge, existing.userID == userID, existing.amount == amount else {
                    throw LedgerError.referenceConflict(reference)
                }
                return Hold(id: existing.id, userID: userID, amount: amount, status: existing.status, reference: reference, created: false)
            }
            guard wallet.available >= amount else { throw APIError.insufficientFunds }
            let id = try await Self.insertTransaction(
                userID: userID, type: .solveCharge, amount: amount, status: .pending, reference: reference,
                description: description, expirySeconds: expirySeconds, on: connection, logger: logger
            )
            try await Self.log(id, from: nil, to: .pending, reason: "hold placed", by: changedBy, started: started, on: connection, logger: logger)
            try await wallet.change(available: -amount, held: amount, transactionID: id, on: connection, logger: logger)
            return Hold(id: id, userID: userID, amount: amount, status: .pending, reference: reference, created: true)
        }
    }

    /// Turns a pending hold into a completed charge (the solve succeeded).
    public func settle(holdID: UUID, changedBy: String, reason: String = "solve completed") async throws -> HoldResolution {
        try await resolve(holdID: holdID, to: .completed, reason: reason, changedBy: changedBy)
    }

    /// Voids a pending hold and gives the money back (the solve failed, timed out or was cancelled).
    public func refund(holdID: UUID, reason: String, changedBy: String) async throws -> HoldResolution {
        try await resolve(holdID: holdID, to: .refunded, reason: reason, changedBy: changedBy)
    }

    private func resolve(holdID: UUID, to target: TransactionStatus, reason: String, changedBy: String) async throws -> HoldResolution {
        let started = ContinuousClock.now
        let logger = self.logger
        return try await database.transaction { connection in
            let owner = try await connection.query("""
                SELECT user_id FROM transactions WHERE id = \(holdID) AND transaction_type = 'solve_charge'
                """, logger: logger).collectRows()
            guard let ownerRow = owner.first else { throw LedgerError.holdNotFound }
            let userID = try ownerRow.decode(UUID.self)
            // Wallet first, then the transaction row: the same lock order as every other operation.
            var wallet = try await LockedWallet.lock(userID, on: connection, logger: logger)
            let updated = try await connection.query("""
                UPDATE transactions SET status = \(target.rawValue)::transaction_status, resolved_at = now()
                WHERE id = \(holdID) AND status = 'pending'
                RETURNING (amount * 100)::int8
                """, logger: logger).collectRows()
            guard let row = updated.first else {
                let current = try await connection.query(
                    "SELECT status::text FROM transactions WHERE id = \(holdID)", logger: logger
                ).collectRows()
                let status = try current.first.map { TransactionStatus(rawValue: try $0.decode(String.self)) } ?? nil
                return HoldResolution(holdID: holdID, status: status ?? target, firstTime: false)
            }
            let amount = Money(minorUnits: try row.decode(Int64.self))
            try await Self.log(holdID, from: .pending, to: target, reason: reason, by: changedBy, started: started, on: connection, logger: logger)
            if target == .completed {
                try await wallet.change(held: -amount, spent: amount, transactionID: holdID, on: connection, logger: logger)
            } else {
                try await wallet.change(available: amount, held: -amount, transactionID: holdID, on: connection, logger: logger)
            }
            return HoldResolution(holdID: holdID, status: target, firstTime: true)
        }
    }

    /// Refunds every hold still pending `grace` after its expiry. Returns how many it voided.
    public func refundExpiredHolds(grace: Duration, changedBy: String = "reconciler") async throws -> Int {
        let rows = try await database.query("""
            SELECT id FROM transactions
            WHERE transaction_type = 'solve_charge' AND status = 'pending'
              AND expires_at < now() - make_interval(secs => \(Int(grace.timeInterval)))
            ORDER BY expires_at LIMIT 500
            """).collectRows()
        var refunded = 0
        for row in rows {
            let resolution = try await refund(holdID: try row.decode(UUID.self), reason: "hold expired", changedBy: changedBy)
            if resolution.firstTime { refunded += 1 }
        }
        return refunded
    }

    /// Pending holds created more than `age` ago (the reconciler looks for their jobs).
    public func pendingHolds(olderThan age: Duration, limit: Int = 500) async throws -> [UUID] {
        let rows = try await database.query("""
            SELECT id FROM transactions
            WHERE transaction_type = 'solve_charge' AND status = 'pending'
              AND created_at < now() - make_interval(secs => \(age.timeInterval))
            ORDER BY created_at LIMIT \(limit)
            """)
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// Status of each hold, and how many times it was resolved (a log row leaving `pending`).
    public func holdStatuses(_ ids: [UUID]) async throws -> [UUID: (status: TransactionStatus, resolutions: Int)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.query("""
            SELECT t.id, t.status::text,
                   (SELECT count(*) FROM transaction_logs l WHERE l.transaction_id = t.id AND l.old_status = 'pending')::int8
            FROM transactions t WHERE t.id = ANY(\(ids))
            """)
        var result: [UUID: (TransactionStatus, Int)] = [:]
        for try await (id, status, count) in rows.decode((UUID, String, Int64).self) {
            result[id] = (TransactionStatus(rawValue: status) ?? .pending, Int(count))
        }
        return result
    }

    // MARK: Credits and debits

    /// Adds money to a wallet (an adjustment now, a confirmed deposit later). Idempotent by reference.
    public func credit(
        userID: UUID, amount: Money, type: TransactionType = .adjustment, reference: String,
        reason: String, description: String? = nil, changedBy: String
    ) async throws -> Movement {
        guard amount.isPositive else { throw LedgerError.invalidAmount() }
        return try await move(userID: userID, signed: amount, type: type, reference: reference, reason: reason, description: description, changedBy: changedBy)
    }

    /// Takes money out of a wallet as an adjustment. Refused with 402 when `available` is short.
    public func debit(
        userID: UUID, amount: Money, reference: String, reason: String, description: String? = nil, changedBy: String
    ) async throws -> Movement {
        guard amount.isPositive else { throw LedgerError.invalidAmount() }
        return try await move(userID: userID, signed: -amount, type: .adjustment, reference: reference, reason: reason, description: description, changedBy: changedBy)
    }

    private func move(
        userID: UUID, signed: Money, type: TransactionType, reference: String, reason: String, description: String?, changedBy: String
    ) async throws -> Movement {
        let started = ContinuousClock.now
        let logger = self.logger
        // Adjustments carry their sign; other types store the magnitude.
        let stored = type == .adjustment ? signed : Money(minorUnits: abs(signed.minorUnits))
        return try await database.transaction { connection in
            var wallet = try await LockedWallet.lock(userID, on: connection, logger: logger)
            if let existing = try await Self.existing(reference: reference, on: connection, logger: logger) {
                guard existing.type == type, existing.userID == userID, existing.amount == stored else {
                    throw LedgerError.referenceConflict(reference)
                }
                return Movement(transactionID: existing.id, userID: userID, amount: signed, type: type, created: false, wallet: wallet.balance)
            }
            if signed.minorUnits < 0 {
                guard wallet.available >= -signed else { throw APIError.insufficientFunds }
            }
            guard (wallet.available + signed).minorUnits <= Money.maximumMinorUnits,
                  (wallet.totalDeposited + signed).minorUnits <= Money.maximumMinorUnits
            else {
                throw APIError.invalidField("amount", vi: "Số dư sẽ vượt giới hạn.", en: "The balance would exceed its limit.")
            }
            let id = try await Self.insertTransaction(
                userID: userID, type: type, amount: stored, status: .completed, reference: reference,
                description: description, expirySeconds: nil, on: connection, logger: logger
            )
            try await Self.log(id, from: nil, to: .completed, reason: reason, by: changedBy, started: started, on: connection, logger: logger)
            if signed.minorUnits > 0 {
                try await wallet.change(available: signed, deposited: signed, transactionID: id, on: connection, logger: logger)
            } else {
                try await wallet.change(available: signed, spent: -signed, transactionID: id, on: connection, logger: logger)
            }
            return Movement(transactionID: id, userID: userID, amount: signed, type: type, created: true, wallet: wallet.balance)
        }
    }

    // MARK: Reads

    public func balance(of userID: UUID) async throws -> WalletBalance {
        let rows = try await database.query("""
            SELECT (available * 100)::int8, (held * 100)::int8, (total_deposited * 100)::int8, (total_spent * 100)::int8
            FROM wallets WHERE user_id = \(userID)
            """).collectRows()
        guard let row = rows.first else { return .empty }
        let (available, held, deposited, spent) = try row.decode((Int64, Int64, Int64, Int64).self)
        return WalletBalance(
            available: Money(minorUnits: available), held: Money(minorUnits: held),
            totalDeposited: Money(minorUnits: deposited), totalSpent: Money(minorUnits: spent)
        )
    }

    /// A page of transactions for staff: any user (or one), filtered by type and status.
    public func transactions(userID: UUID?, type: TransactionType?, status: TransactionStatus?, limit: Int, offset: Int) async throws -> (items: [TransactionView], total: Int) {
        let (typeText, statusText) = (type?.rawValue, status?.rawValue)
        let rows = try await database.query("""
            SELECT id, transaction_type::text, status::text, (amount * 100)::int8, (COALESCE(fee_amount, 0) * 100)::int8,
                   (net_amount * 100)::int8, reference_code, description, created_at, updated_at, count(*) OVER ()
            FROM transactions
            WHERE (\(userID)::uuid IS NULL OR user_id = \(userID)) AND (\(typeText)::text IS NULL OR transaction_type::text = \(typeText))
              AND (\(statusText)::text IS NULL OR status::text = \(statusText))
            ORDER BY created_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)
            """)
        var items: [TransactionView] = []
        var total = 0
        for try await (id, type, status, amount, fee, net, reference, description, created, updated, count) in rows.decode(
            (UUID, String, String, Int64, Int64, Int64, String?, String?, Date, Date, Int64).self
        ) {
            total = Int(count)
            guard let type = TransactionType(rawValue: type), let status = TransactionStatus(rawValue: status) else { continue }
            items.append(TransactionView(
                id: id, type: type, status: status, amount: Money(minorUnits: amount), feeAmount: Money(minorUnits: fee),
                netAmount: Money(minorUnits: net), referenceCode: reference, description: description, createdAt: created, updatedAt: updated
            ))
        }
        return (items, total)
    }

    /// A page of the user's transactions, newest first.
    public func transactions(of userID: UUID, limit: Int, offset: Int) async throws -> (items: [TransactionView], total: Int) {
        let page = try await transactions(userID: userID, type: nil, status: nil, limit: limit, offset: offset)
        guard page.items.isEmpty, offset > 0 else { return page }
        // Past the last page the window count is empty; the total still counts.
        let count = try await database.query("SELECT count(*)::int8 FROM transactions WHERE user_id = \(userID)").collectRows()
        return (page.items, try count.first.map { Int(try $0.decode(Int64.self)) } ?? 0)
    }

    // MARK: Helpers

    struct ExistingTransaction {
        let id: UUID
        let userID: UUID
        let type: TransactionType?
        let amount: Money
        let status: TransactionStatus
    }

    static func existing(reference: String, on connection: PostgresConnection, logger: Logger) async throws -> ExistingTransaction? {
        let rows = try await connection.query("""
            SELECT id, user_id, transaction_type::text, (amount * 100)::int8, status::text
            FROM transactions WHERE reference_code = \(reference)
            """, logger: logger).collectRows()
        guard let row = rows.first else { return nil }
        let (id, user, type, amount, status) = try row.decode((UUID, UUID, String, Int64, String).self)
        return ExistingTransaction(
            id: id, userID: user, type: TransactionType(rawValue: type), amount: Money(minorUnits: amount),
            status: TransactionStatus(rawValue: status) ?? .pending
        )
    }

    static func insertTransaction(
        userID: UUID, type: TransactionType, amount: Money, status: TransactionStatus, reference: String,
        description: String?, expirySeconds: Int?, on connection: PostgresConnection, logger: Logger
    ) async throws -> UUID {
        let rows = try await connection.query("""
            INSERT INTO transactions (user_id, transaction_type, amount, net_amount, status, reference_code, description, expires_at, resolved_at)
            VALUES (\(userID), \(type.rawValue)::transaction_type, \(amount.minorUnits)::int8 / 100.0, \(amount.minorUnits)::int8 / 100.0,
                    \(status.rawValue)::transaction_status, \(reference), \(description),
                    CASE WHEN \(expirySeconds)::int4 IS NULL THEN NULL ELSE now() + make_interval(secs => \(expirySeconds)::int4) END,
                    CASE WHEN \(status.rawValue) = 'pending' THEN NULL ELSE now() END)
            RETURNING id
            """, logger: logger).collectRows()
        guard let row = rows.first else { throw APIError.internalError }
        return try row.decode(UUID.self)
    }

    static func log(
        _ transactionID: UUID, from old: TransactionStatus?, to new: TransactionStatus, reason: String, by changedBy: String,
        started: ContinuousClock.Instant, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let ms = (ContinuousClock.now - started).wholeMilliseconds
        try await connection.query("""
            INSERT INTO transaction_logs (transaction_id, old_status, new_status, reason, changed_by, execution_time_ms)
            VALUES (\(transactionID), \(old?.rawValue)::transaction_status, \(new.rawValue)::transaction_status,
                    \(reason), \(String(changedBy.prefix(100))), \(ms))
            """, logger: logger)
    }
}
