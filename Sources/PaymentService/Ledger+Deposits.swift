import Foundation
import Logging
import MathFarmCore
import PostgresNIO

/// A deposit as the ledger keeps it: a `deposit` transaction, `pending` until its gateway
/// confirms it, then `completed` (the wallet is credited the net amount) or `failed`/`expired`.
public struct Deposit: Sendable, Equatable, Encodable {
    public var id: UUID
    public var userID: UUID
    public var method: String
    public var amount: Money
    public var fee: Money
    public var netAmount: Money
    public var status: TransactionStatus
    public var reference: String
    public var externalID: String?
    public var expiresAt: Date?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, method, amount, fee, status, reference
        case userID = "user_id"
        case netAmount = "net_amount"
        case externalID = "gateway_transaction_id"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
    }
}

/// How a gateway notification ended for the deposit it names.
public enum DepositTransition: Sendable, Equatable {
    /// This call moved it (`pending → completed/failed/expired`).
    case moved(TransactionStatus)
    /// It had already left `pending` (repeat notification); nothing changed.
    case alreadyResolved(TransactionStatus)
    case notFound
    /// The gateway's amount differs from the deposit's: nothing changed.
    case amountMismatch
}

extension Ledger {
    /// Opens a pending deposit (no money moves). Idempotent by reference.
    public func openDeposit(
        userID: UUID, method: String, amount: Money, fee: Money, reference: String, expiresIn: Duration, description: String, changedBy: String
    ) async throws -> Deposit {
        guard amount.isPositive, fee.minorUnits >= 0, fee < amount else { throw LedgerError.invalidAmount() }
        let started = ContinuousClock.now
        let logger = database.logger
        let net = amount - fee
        return try await database.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO transactions (user_id, transaction_type, payment_method_id, amount, fee_amount, net_amount, status,
                                          reference_code, description, expires_at)
                SELECT \(userID), 'deposit', m.id, \(amount.minorUnits)::int8 / 100.0, \(fee.minorUnits)::int8 / 100.0,
                       \(net.minorUnits)::int8 / 100.0, 'pending', \(reference), \(description),
                       now() + make_interval(secs => \(Int(expiresIn.timeInterval)))
                FROM payment_methods m WHERE m.method_type = \(method)::payment_method_type
                ON CONFLICT (reference_code) DO NOTHING
                RETURNING id
                """, logger: logger).collectRows()
            if let row = inserted.first {
                let opened = LogEntry(transactionID: try row.decode(UUID.self), from: nil, to: .pending, reason: "deposit opened")
                try await LedgerWrite(logs: [opened]).execute(by: changedBy, started: started, on: connection, logger: logger)
            }
            guard let deposit = try await Self.deposit(reference: reference, on: connection, logger: logger) else { throw APIError.internalError }
            guard deposit.userID == userID, deposit.amount == amount, deposit.method == method else { throw LedgerError.referenceConflict(reference) }
            return deposit
        }
    }

    /// `pending → completed`: credits the net amount (log, snapshot and outbox event with it),
    /// exactly once however often and however concurrently the gateway repeats itself.
    /// `amount` is what the gateway says was paid; it must equal the deposit's amount.
    public func completeDeposit(reference: String, amount: Money, externalID: String?, reason: String, changedBy: String) async throws -> DepositTransition {
        try await transition(reference: reference, to: .completed, amount: amount, externalID: externalID, reason: reason, changedBy: changedBy)
    }

    /// `pending → failed` (the gateway reports a failed or cancelled payment) or `→ expired`.
    public func closeDeposit(reference: String, as status: TransactionStatus, amount: Money?, externalID: String?, reason: String, changedBy: String) async throws -> DepositTransition {
        precondition(status == .failed || status == .expired, "closeDeposit moves to failed or expired only")
        return try await transition(reference: reference, to: status, amount: amount, externalID: externalID, reason: reason, changedBy: changedBy)
    }

    private func transition(reference: String, to target: TransactionStatus, amount: Money?, externalID: String?, reason: String, changedBy: String) async throws -> DepositTransition {
        let started = ContinuousClock.now
        let logger = database.logger
        return try await database.transaction { connection in
            guard let deposit = try await Self.deposit(reference: reference, on: connection, logger: logger) else { return .notFound }
            if let amount, amount != deposit.amount { return .amountMismatch }
            // Wallet first (the ledger's lock order), then the guarded transition.
            var wallet = try await LockedWallet.lock(deposit.userID, on: connection, logger: logger)
            let updated = try await connection.query("""
                UPDATE transactions SET status = \(target.rawValue)::transaction_status, resolved_at = now(),
                       external_transaction_id = COALESCE(\(externalID), external_transaction_id)
                WHERE id = \(deposit.id) AND status = 'pending'
                RETURNING id
                """, logger: logger).collectRows()
            guard !updated.isEmpty else {
                let current = try await Self.deposit(reference: reference, on: connection, logger: logger)
                return .alreadyResolved(current?.status ?? deposit.status)
            }
            if target == .completed {
                try wallet.change(available: deposit.netAmount, deposited: deposit.netAmount, transactionID: deposit.id)
            }
            let logged = LedgerWrite(logs: [LogEntry(transactionID: deposit.id, from: .pending, to: target, reason: reason)])
            try await wallet.write(logged, by: changedBy, started: started, on: connection, logger: logger)
            return .moved(target)
        }
    }

    public func deposit(id: UUID) async throws -> Deposit? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.depositColumns) FROM transactions t JOIN payment_methods m ON m.id = t.payment_method_id
            WHERE t.id = \(id) AND t.transaction_type = 'deposit'
            """).collectRows()
        return try rows.first.map(Self.decodeDeposit)
    }

    public func deposit(reference: String) async throws -> Deposit? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.depositColumns) FROM transactions t JOIN payment_methods m ON m.id = t.payment_method_id
            WHERE t.reference_code = \(reference) AND t.transaction_type = 'deposit'
            """).collectRows()
        return try rows.first.map(Self.decodeDeposit)
    }

    /// Pending deposits past their expiry (the expiry sweep asks their gateways).
    public func expiredPendingDeposits(limit: Int = 200) async throws -> [Deposit] {
        let rows = try await database.query("""
            SELECT t.reference_code FROM transactions t
            WHERE t.transaction_type = 'deposit' AND t.status = 'pending' AND t.expires_at < now()
            ORDER BY t.expires_at LIMIT \(limit)
            """).collectRows()
        var deposits: [Deposit] = []
        for row in rows {
            if let found = try await deposit(reference: try row.decode(String.self)) { deposits.append(found) }
        }
        return deposits
    }

    static func deposit(reference: String, on connection: PostgresConnection, logger: Logger) async throws -> Deposit? {
        let rows = try await connection.query("""
            SELECT \(unescaped: depositColumns) FROM transactions t JOIN payment_methods m ON m.id = t.payment_method_id
            WHERE t.reference_code = \(reference) AND t.transaction_type = 'deposit'
            """, logger: logger).collectRows()
        return try rows.first.map(decodeDeposit)
    }

    static let depositColumns = """
        t.id, t.user_id, m.method_type::text, (t.amount * 100)::int8, (COALESCE(t.fee_amount, 0) * 100)::int8,
        (t.net_amount * 100)::int8, t.status::text, t.reference_code, t.external_transaction_id, t.expires_at, t.created_at
        """

    static func decodeDeposit(_ row: PostgresRow) throws -> Deposit {
        let (id, user, method, amount, fee, net, status, reference, external, expires, created) =
            try row.decode((UUID, UUID, String, Int64, Int64, Int64, String, String, String?, Date?, Date).self)
        return Deposit(
            id: id, userID: user, method: method, amount: Money(minorUnits: amount), fee: Money(minorUnits: fee),
            netAmount: Money(minorUnits: net), status: TransactionStatus(rawValue: status) ?? .pending, reference: reference,
            externalID: external, expiresAt: expires, createdAt: created
        )
    }
}

/// Refunds of completed deposits. The money leaves the wallet first (only when `available`
/// covers what the deposit credited), with the gateway refund recorded as `requested` in the
/// transaction's metadata; the gateway call follows. Its answer either confirms the refund or
/// reverts it (money back, deposit `completed` again); a crash in between leaves `requested`,
/// which the sweep asks the gateway about again. So money is never refunded twice or lost.
extension Ledger {
    public enum RefundState: String, Sendable {
        case requested, confirmed
    }

    /// `completed → refunded`, debiting the net amount. Returns nil when the deposit is not
    /// completed (already refunded, never paid).
    public func beginDepositRefund(reference: String, reason: String, changedBy: String) async throws -> Deposit? {
        let started = ContinuousClock.now
        let logger = database.logger
        return try await database.transaction { connection in
            guard let deposit = try await Self.deposit(reference: reference, on: connection, logger: logger) else { return nil }
            var wallet = try await LockedWallet.lock(deposit.userID, on: connection, logger: logger)
            guard deposit.status == .completed else { return nil }
            guard wallet.available >= deposit.netAmount else {
                throw APIError(
                    .conflict, code: "refund_exceeds_balance",
                    vi: "Số dư khả dụng (\(wallet.available) VND) không đủ để hoàn \(deposit.netAmount) VND.",
                    en: "The available balance (\(wallet.available) VND) does not cover the refund of \(deposit.netAmount) VND."
                )
            }
            let updated = try await connection.query("""
                UPDATE transactions SET status = 'refunded', metadata = COALESCE(metadata, '{}') || '{"refund": "requested"}'
                WHERE id = \(deposit.id) AND status = 'completed' RETURNING id
                """, logger: logger).collectRows()
            guard !updated.isEmpty else { return nil }
            try wallet.change(available: -deposit.netAmount, deposited: -deposit.netAmount, transactionID: deposit.id)
            let logged = LedgerWrite(logs: [LogEntry(transactionID: deposit.id, from: .completed, to: .refunded, reason: reason)])
            try await wallet.write(logged, by: changedBy, started: started, on: connection, logger: logger)
            var refunded = deposit
            refunded.status = .refunded
            return refunded
        }
    }

    /// The gateway accepted the refund.
    public func confirmDepositRefund(reference: String) async throws {
        try await database.query("""
            UPDATE transactions SET metadata = metadata || '{"refund": "confirmed"}'
            WHERE reference_code = \(reference) AND status = 'refunded' AND metadata->>'refund' = 'requested'
            """)
    }

    /// The gateway refused: `refunded → completed` and the money back, exactly once.
    public func revertDepositRefund(reference: String, reason: String, changedBy: String) async throws {
        let started = ContinuousClock.now
        let logger = database.logger
        try await database.transaction { connection in
            guard let deposit = try await Self.deposit(reference: reference, on: connection, logger: logger) else { return }
            var wallet = try await LockedWallet.lock(deposit.userID, on: connection, logger: logger)
            let updated = try await connection.query("""
                UPDATE transactions SET status = 'completed', metadata = metadata - 'refund'
                WHERE id = \(deposit.id) AND status = 'refunded' AND metadata->>'refund' = 'requested' RETURNING id
                """, logger: logger).collectRows()
            guard !updated.isEmpty else { return }
            try wallet.change(available: deposit.netAmount, deposited: deposit.netAmount, transactionID: deposit.id)
            let logged = LedgerWrite(logs: [LogEntry(transactionID: deposit.id, from: .refunded, to: .completed, reason: reason)])
            try await wallet.write(logged, by: changedBy, started: started, on: connection, logger: logger)
        }
    }

    /// Refunds requested more than `age` ago and not yet confirmed (their gateway call may have
    /// been cut short by a crash).
    public func unconfirmedRefunds(olderThan age: Duration) async throws -> [Deposit] {
        let rows = try await database.query("""
            SELECT reference_code FROM transactions
            WHERE transaction_type = 'deposit' AND status = 'refunded' AND metadata->>'refund' = 'requested'
              AND updated_at < now() - make_interval(secs => \(age.timeInterval))
            LIMIT 100
            """).collectRows()
        var deposits: [Deposit] = []
        for row in rows {
            if let deposit = try await deposit(reference: try row.decode(String.self)) { deposits.append(deposit) }
        }
        return deposits
    }

    /// How the deposit's refund stands (nil when none was asked for).
    public func refundState(reference: String) async throws -> RefundState? {
        let rows = try await database.query("SELECT metadata->>'refund' FROM transactions WHERE reference_code = \(reference)").collectRows()
        return try rows.first.flatMap { try $0.decode(String?.self) }.flatMap(RefundState.init(rawValue:))
    }
}
