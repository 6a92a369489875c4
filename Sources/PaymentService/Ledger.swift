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

    var logger: Logger { database.logger }

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
            let id = UUID()
            let row = NewTransactionRow(
                id: id, userID: userID, type: type, amount: stored, status: .completed, reference: reference,
                description: description, expirySeconds: nil
            )
            if signed.minorUnits > 0 {
                try wallet.change(available: signed, deposited: signed, transactionID: id)
            } else {
                try wallet.change(available: signed, spent: -signed, transactionID: id)
            }
            let write = LedgerWrite(transactions: [row], logs: [LogEntry(transactionID: id, from: nil, to: .completed, reason: reason)])
            try await wallet.write(write, by: changedBy, started: started, on: connection, logger: logger)
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

    // Every hold runs this: prepared once per connection.
    enum ExistingReferences: PreparedQueryKey {}

    static func existing(reference: String, on connection: PostgresConnection, logger: Logger) async throws -> ExistingTransaction? {
        try await existing(references: [reference], on: connection, logger: logger)[reference]
    }

    static func existing(references: [String], on connection: PostgresConnection, logger: Logger) async throws -> [String: ExistingTransaction] {
        var found: [String: ExistingTransaction] = [:]
        for row in try await connection.prepared(ExistingReferences.self, """
            SELECT id, user_id, transaction_type::text, (amount * 100)::int8, status::text, reference_code
            FROM transactions WHERE reference_code = ANY(\(references)::text[])
            """, logger: logger) {
            let (id, user, type, amount, status, reference) = try row.decode((UUID, UUID, String, Int64, String, String).self)
            found[reference] = ExistingTransaction(
                id: id, userID: user, type: TransactionType(rawValue: type), amount: Money(minorUnits: amount),
                status: TransactionStatus(rawValue: status) ?? .pending
            )
        }
        return found
    }

    /// A transaction row to insert; its id is chosen by the caller so a batch needs no RETURNING.
    struct NewTransactionRow {
        var id: UUID
        var userID: UUID
        var type: TransactionType
        var amount: Money
        var status: TransactionStatus
        var reference: String
        var description: String?
        /// Seconds until `expires_at` (holds and deposits), nil for none.
        var expirySeconds: Int?
    }

    /// One row of `transaction_logs`.
    struct LogEntry {
        var transactionID: UUID
        var from: TransactionStatus?
        var to: TransactionStatus
        var reason: String
    }
}
