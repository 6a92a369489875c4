import Foundation
import Logging
import MathFarmCore

/// Deposits still `pending` past their expiry: VNPay is asked with querydr (a lost IPN must not
/// lose a payment) and the deposit completed or expired accordingly; a bank transfer or VietQR
/// deposit, for which no query exists, expires (a late transfer is then confirmed by staff).
/// MoMo and ZaloPay are asked with their query APIs the same way. A gateway that cannot be
/// reached leaves the deposit pending for the next pass.
public struct DepositExpiry: Sendable {
    let ledger: Ledger
    let vnpay: VNPayQueryClient
    let momo: MoMoClient
    let zaloPay: ZaloPayClient
    let configuration: DepositConfiguration
    let logger: Logger

    public init(ledger: Ledger, configuration: DepositConfiguration, logger: Logger) {
        self.ledger = ledger
        self.configuration = configuration
        self.vnpay = VNPayQueryClient(configuration: configuration)
        self.momo = MoMoClient(configuration: configuration)
        self.zaloPay = ZaloPayClient(configuration: configuration)
        self.logger = logger
    }

    /// `paid` is the gateway's answer: nil when it says not paid. An amount out of range is a
    /// mismatch (left for review), never a trap.
    private func settle(_ deposit: Deposit, paid: Money??, externalID: String?, gateway: String) async throws -> DepositTransition {
        if let paid {
            guard let paid else { return .amountMismatch }
            return try await ledger.completeDeposit(
                reference: deposit.reference, amount: paid, externalID: externalID,
                reason: "\(gateway) query: paid", changedBy: "expiry"
            )
        }
        return try await ledger.closeDeposit(reference: deposit.reference, as: .expired, amount: nil, externalID: nil, reason: "\(gateway) query: not paid", changedBy: "expiry")
    }

    /// One pass; returns how many deposits it moved.
    @discardableResult
    public func sweep() async throws -> Int {
        var moved = 0
        // A gateway disabled since (credentials removed) is not asked; its deposits stay pending.
        for deposit in try await ledger.expiredPendingDeposits() where configuration.isMethodEnabled(deposit.method) {
            let transition: DepositTransition
            switch deposit.method {
            case "vnpay":
                switch await vnpay.query(reference: deposit.reference, createdAt: deposit.createdAt) {
                case .paid(let amountMinor, let transactionNo): transition = try await settle(deposit, paid: .some(Money(checkedMinorUnits: amountMinor)), externalID: transactionNo, gateway: "vnpay")
                case .notPaid: transition = try await settle(deposit, paid: nil, externalID: nil, gateway: "vnpay")
                case .unknown: continue
                }
            case "momo":
                switch await momo.query(reference: deposit.reference) {
                case .paid(let amount, let transID): transition = try await settle(deposit, paid: .some(Money(checkedDong: amount)), externalID: String(transID), gateway: "momo")
                case .notPaid: transition = try await settle(deposit, paid: nil, externalID: nil, gateway: "momo")
                case .unknown: continue
                }
            case "zalopay":
                switch await zaloPay.query(reference: deposit.reference, createdAt: deposit.createdAt) {
                case .paid(let amount, let zpTransID): transition = try await settle(deposit, paid: .some(Money(checkedDong: amount)), externalID: String(zpTransID), gateway: "zalopay")
                case .notPaid: transition = try await settle(deposit, paid: nil, externalID: nil, gateway: "zalopay")
                case .unknown: continue
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
