import Foundation
import Logging
import MathFarmCore

/// Deposits still `pending` past their expiry: VNPay is asked with querydr (a lost IPN must not
/// lose a payment) and the deposit completed or expired accordingly; a bank transfer or VietQR
/// deposit, for which no query exists, expires (a late transfer is then confirmed by staff).
/// MoMo and ZaloPay deposits are left pending until their query calls are implemented.
public struct DepositExpiry: Sendable {
    let ledger: Ledger
    let vnpay: VNPayQueryClient
    let logger: Logger

    public init(ledger: Ledger, vnpay: VNPayQueryClient, logger: Logger) {
        self.ledger = ledger
        self.vnpay = vnpay
        self.logger = logger
    }

    /// One pass; returns how many deposits it moved.
    @discardableResult
    public func sweep() async throws -> Int {
        var moved = 0
        for deposit in try await ledger.expiredPendingDeposits() {
            let transition: DepositTransition
            switch deposit.method {
            case "vnpay":
                switch await vnpay.query(reference: deposit.reference, createdAt: deposit.createdAt) {
                case .paid(let amountMinor, let transactionNo):
                    transition = try await ledger.completeDeposit(
                        reference: deposit.reference, amount: Money(minorUnits: amountMinor), externalID: transactionNo,
                        reason: "vnpay querydr: paid", changedBy: "expiry"
                    )
                case .notPaid:
                    transition = try await ledger.closeDeposit(reference: deposit.reference, as: .expired, amount: nil, externalID: nil, reason: "vnpay querydr: not paid", changedBy: "expiry")
                case .unknown:
                    continue
                }
            case "bank_transfer", "qr_code":
                transition = try await ledger.closeDeposit(reference: deposit.reference, as: .expired, amount: nil, externalID: nil, reason: "no transfer before expiry", changedBy: "expiry")
            default:
                continue
            }
            if case .moved = transition { moved += 1 }
            if case .amountMismatch = transition {
                logger.error("querydr amount differs from the deposit; left for review", metadata: ["reference": "\(deposit.reference)"])
            }
        }
        return moved
    }
}
