import Foundation
import Logging
import MathFarmCore
import PostgresNIO

/// One hold asked for in a batch (`Ledger.placeHolds`).
public struct HoldRequest: Sendable, Equatable {
    public var userID: UUID
    public var amount: Money
    /// The idempotency key of the hold: placing the same reference again returns the first hold.
    public var reference: String
    public var expiresIn: Duration
    public var description: String?

    public init(userID: UUID, amount: Money, reference: String, expiresIn: Duration, description: String? = nil) {
        self.userID = userID
        self.amount = amount
        self.reference = reference
        self.expiresIn = expiresIn
        self.description = description
    }
}

/// What became of one hold request of a batch. A refusal concerns that request only.
public enum HoldOutcome: Sendable, Equatable {
    /// Placed now (`created`) or found under its reference from an earlier attempt.
    case placed(Hold)
    case insufficientFunds
    /// The reference already belongs to a different transaction (other user, type or amount).
    case referenceConflict
}

/// How a pending hold is to end.
public enum HoldTarget: String, Sendable {
    /// The solve succeeded: the held amount is spent.
    case settle
    /// The solve failed, timed out, was cancelled or abandoned: the held amount goes back.
    case refund

    var status: TransactionStatus { self == .settle ? .completed : .refunded }
}

/// One resolution asked for in a batch (`Ledger.resolveHolds`).
public struct HoldResolutionRequest: Sendable, Equatable {
    public var holdID: UUID
    public var target: HoldTarget
    public var reason: String

    public init(holdID: UUID, target: HoldTarget, reason: String) {
        self.holdID = holdID
        self.target = target
        self.reason = reason
    }
}

/// Holds in batches: the throughput of the farm is commits, so a batch of holds (or of
/// resolutions) is one transaction that locks its wallets in `user_id` order, decides every
/// request against the locked totals, and writes all rows with one `LedgerWrite` statement.
/// The single-hold operations are batches of one, so there is one implementation of each rule.
extension Ledger {
    enum HoldOwners: PreparedQueryKey {}
    enum ResolvePending: PreparedQueryKey {}

    /// Places holds for a batch of solves in one transaction. Each request is decided on its
    /// own (a short balance refuses that request only); a reference seen before returns its
    /// first hold (repeats inside the batch too).
    public func placeHolds(_ requests: [HoldRequest], changedBy: String) async throws -> [HoldOutcome] {
        guard !requests.isEmpty else { return [] }
        for request in requests where !request.amount.isPositive { throw LedgerError.invalidAmount() }
        let started = ContinuousClock.now
        do {
            // Almost every reference is new: insert without looking first, and let the unique
            // index on reference_code say when one is not (a retried submission).
            return try await placeHolds(requests, lookingUpReferences: false, changedBy: changedBy, started: started)
        } catch let error as PSQLError where error.sqlState == SQLState.uniqueViolation {
            // The whole attempt rolled back; decide again knowing the earlier holds.
            return try await placeHolds(requests, lookingUpReferences: true, changedBy: changedBy, started: started)
        } catch is ReferencesUnchecked {
            return try await placeHolds(requests, lookingUpReferences: true, changedBy: changedBy, started: started)
        }
    }

    /// An attempt that did not look references up refused a request for funds: that request
    /// may be the repeat of a hold already placed (which needs no funds), so the attempt is
    /// rolled back and decided again with the lookup.
    private struct ReferencesUnchecked: Error {}

    private func placeHolds(
        _ requests: [HoldRequest], lookingUpReferences: Bool, changedBy: String, started: ContinuousClock.Instant
    ) async throws -> [HoldOutcome] {
        let logger = self.logger
        return try await database.transaction { connection in
            var wallets = try await LockedWallets.lock(requests.map(\.userID), on: connection, logger: logger)
            let existing = lookingUpReferences
                ? try await Self.existing(references: requests.map(\.reference), on: connection, logger: logger) : [:]
            var outcomes: [HoldOutcome] = []
            var placedNow: [String: Hold] = [:]
            var rows: [NewTransactionRow] = []
            var logs: [LogEntry] = []
            for request in requests {
                if let found = existing[request.reference] {
                    guard found.type == .solveCharge, found.userID == request.userID, found.amount == request.amount else {
                        outcomes.append(.referenceConflict)
                        continue
                    }
                    outcomes.append(.placed(Hold(
                        id: found.id, userID: request.userID, amount: request.amount, status: found.status,
                        reference: request.reference, created: false
                    )))
                    continue
                }
                if var hold = placedNow[request.reference] {
                    guard hold.userID == request.userID, hold.amount == request.amount else {
                        outcomes.append(.referenceConflict)
                        continue
                    }
                    hold.created = false
                    outcomes.append(.placed(hold))
                    continue
                }
                guard wallets.balance(of: request.userID).available >= request.amount else {
                    outcomes.append(.insufficientFunds)
                    continue
                }
                let id = UUID()
                rows.append(NewTransactionRow(
                    id: id, userID: request.userID, type: .solveCharge, amount: request.amount, status: .pending,
                    reference: request.reference, description: request.description, expirySeconds: Int(request.expiresIn.timeInterval)
                ))
                logs.append(LogEntry(transactionID: id, from: nil, to: .pending, reason: "hold placed"))
                try wallets.change(request.userID, available: -request.amount, held: request.amount, transactionID: id)
                let hold = Hold(id: id, userID: request.userID, amount: request.amount, status: .pending, reference: request.reference, created: true)
                placedNow[request.reference] = hold
                outcomes.append(.placed(hold))
            }
            if !lookingUpReferences, outcomes.contains(.insufficientFunds) { throw ReferencesUnchecked() }
            try await LedgerWrite(transactions: rows, logs: logs).execute(wallets: &wallets, by: changedBy, started: started, on: connection, logger: logger)
            return outcomes
        }
    }

    /// Reserves `amount` for a solve. Refused with 402 when `available` is short; placing the same
    /// reference again returns the first hold.
    public func placeHold(
        userID: UUID, amount: Money, reference: String, expiresIn: Duration,
        description: String? = nil, changedBy: String
    ) async throws -> Hold {
        let request = HoldRequest(userID: userID, amount: amount, reference: reference, expiresIn: expiresIn, description: description)
        switch try await placeHolds([request], changedBy: changedBy).first {
        case .placed(let hold): return hold
        case .insufficientFunds: throw APIError.insufficientFunds
        case .referenceConflict: throw LedgerError.referenceConflict(reference)
        case nil: throw APIError.internalError
        }
    }

    /// Resolves a batch of holds in one transaction, each by the guarded `pending → x`
    /// transition: a hold already resolved changes nothing and reports its first resolution.
    /// A hold id that is not a solve charge is reported as not found (`status` nil is never
    /// returned: such requests are left out of the answer). Repeats of one id inside the batch
    /// resolve it once, by the first request.
    public func resolveHolds(_ requests: [HoldResolutionRequest], changedBy: String) async throws -> [UUID: HoldResolution] {
        var firstRequest: [UUID: HoldResolutionRequest] = [:]
        for request in requests where firstRequest[request.holdID] == nil { firstRequest[request.holdID] = request }
        guard !firstRequest.isEmpty else { return [:] }
        let ids = Array(firstRequest.keys)
        let started = ContinuousClock.now
        let logger = self.logger
        return try await database.transaction { connection in
            var owners: [UUID: UUID] = [:]
            var resolutions: [UUID: HoldResolution] = [:]
            for row in try await connection.prepared(HoldOwners.self, """
                SELECT id, user_id, status::text FROM transactions WHERE id = ANY(\(ids)::uuid[]) AND transaction_type = 'solve_charge'
                """, logger: logger) {
                let (id, user, status) = try row.decode((UUID, UUID, String).self)
                if status == TransactionStatus.pending.rawValue {
                    owners[id] = user
                } else {
                    // Resolved before: nothing to lock, the first resolution is the answer.
                    resolutions[id] = HoldResolution(holdID: id, status: TransactionStatus(rawValue: status) ?? .pending, firstTime: false)
                }
            }
            guard !owners.isEmpty else { return resolutions }
            // Wallets first, then the transaction rows: the lock order of every ledger operation.
            var wallets = try await LockedWallets.lock(Array(owners.values), on: connection, logger: logger)
            let holdIDs = Array(owners.keys)
            let targets = holdIDs.map { firstRequest[$0]?.target.status.rawValue ?? TransactionStatus.refunded.rawValue }
            var logs: [LogEntry] = []
            for row in try await connection.prepared(ResolvePending.self, """
                UPDATE transactions t SET status = u.target::transaction_status, resolved_at = now()
                FROM unnest(\(holdIDs)::uuid[], \(targets)::text[]) AS u(id, target)
                WHERE t.id = u.id AND t.status = 'pending'
                RETURNING t.id, t.user_id, (t.amount * 100)::int8, t.status::text
                """, logger: logger) {
                let (id, user, amountMinor, status) = try row.decode((UUID, UUID, Int64, String).self)
                let amount = Money(minorUnits: amountMinor)
                let target: TransactionStatus = status == TransactionStatus.completed.rawValue ? .completed : .refunded
                logs.append(LogEntry(transactionID: id, from: .pending, to: target, reason: firstRequest[id]?.reason ?? ""))
                if target == .completed {
                    try wallets.change(user, held: -amount, spent: amount, transactionID: id)
                } else {
                    try wallets.change(user, available: amount, held: -amount, transactionID: id)
                }
                resolutions[id] = HoldResolution(holdID: id, status: target, firstTime: true)
            }
            let untouched = holdIDs.filter { resolutions[$0] == nil }
            if !untouched.isEmpty {
                for try await (id, status) in try await connection.query("""
                    SELECT id, status::text FROM transactions WHERE id = ANY(\(untouched)::uuid[])
                    """, logger: logger).decode((UUID, String).self) {
                    let current = TransactionStatus(rawValue: status) ?? .pending
                    resolutions[id] = HoldResolution(holdID: id, status: current, firstTime: false)
                }
            }
            try await LedgerWrite(logs: logs).execute(wallets: &wallets, by: changedBy, started: started, on: connection, logger: logger)
            return resolutions
        }
    }

    /// Turns a pending hold into a completed charge (the solve succeeded).
    public func settle(holdID: UUID, changedBy: String, reason: String = "solve completed") async throws -> HoldResolution {
        try await resolve(HoldResolutionRequest(holdID: holdID, target: .settle, reason: reason), changedBy: changedBy)
    }

    /// Voids a pending hold and gives the money back (the solve failed, timed out or was cancelled).
    public func refund(holdID: UUID, reason: String, changedBy: String) async throws -> HoldResolution {
        try await resolve(HoldResolutionRequest(holdID: holdID, target: .refund, reason: reason), changedBy: changedBy)
    }

    private func resolve(_ request: HoldResolutionRequest, changedBy: String) async throws -> HoldResolution {
        guard let resolution = try await resolveHolds([request], changedBy: changedBy)[request.holdID] else {
            throw LedgerError.holdNotFound
        }
        return resolution
    }

    /// Refunds every hold still pending `grace` after its expiry, a batch at a time. Returns how
    /// many it voided.
    public func refundExpiredHolds(grace: Duration, changedBy: String = "reconciler") async throws -> Int {
        let rows = try await database.query("""
            SELECT id FROM transactions
            WHERE transaction_type = 'solve_charge' AND status = 'pending'
              AND expires_at < now() - make_interval(secs => \(Int(grace.timeInterval)))
            ORDER BY expires_at LIMIT 500
            """)
        var requests: [HoldResolutionRequest] = []
        for try await id in rows.decode(UUID.self) {
            requests.append(HoldResolutionRequest(holdID: id, target: .refund, reason: "hold expired"))
        }
        guard !requests.isEmpty else { return 0 }
        return try await resolveHolds(requests, changedBy: changedBy).values.filter(\.firstTime).count
    }

    /// A hold still pending, as the reconciler sees it.
    public struct PendingHold: Sendable, Equatable {
        public var id: UUID
        public var age: Duration
        /// Past `expires_at`: no outcome is waited for any more.
        public var isExpired: Bool
    }

    /// Pending holds created more than `age` ago, oldest first (the reconciler looks for their jobs).
    public func pendingHolds(olderThan age: Duration, limit: Int = 500) async throws -> [PendingHold] {
        let rows = try await database.query("""
            SELECT id, EXTRACT(EPOCH FROM now() - created_at)::float8, COALESCE(expires_at < now(), false) FROM transactions
            WHERE transaction_type = 'solve_charge' AND status = 'pending'
              AND created_at < now() - make_interval(secs => \(age.timeInterval))
            ORDER BY created_at LIMIT \(limit)
            """)
        var holds: [PendingHold] = []
        for try await (id, seconds, expired) in rows.decode((UUID, Double, Bool).self) {
            holds.append(PendingHold(id: id, age: .milliseconds(Int64(seconds * 1000)), isExpired: expired))
        }
        return holds
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
}
