import Foundation
import Logging
import MathFarmCore

/// Staff refunds of completed deposits through the gateway that took the money (a bank
/// transfer is paid back by hand and confirmed at once). See `Ledger.beginDepositRefund` for
/// the order of events that keeps a crash from losing or doubling money.
public struct DepositRefunds: Sendable {
    let ledger: Ledger
    let vnpay: VNPayRefundClient
    let momo: MoMoClient
    let zaloPay: ZaloPayClient
    let audit: DepositService.Audit
    let configuration: DepositConfiguration
    let logger: Logger

    public init(ledger: Ledger, configuration: DepositConfiguration, audit: @escaping DepositService.Audit, logger: Logger) {
        self.ledger = ledger
        self.configuration = configuration
        self.vnpay = VNPayRefundClient(configuration: configuration)
        self.momo = MoMoClient(configuration: configuration)
        self.zaloPay = ZaloPayClient(configuration: configuration)
        self.audit = audit
        self.logger = logger
    }

    public struct Result: Sendable, Encodable {
        public var deposit: Deposit
        /// `confirmed`, or `requested` when the gateway did not answer yet (retried in the background).
        public var refund: String
    }

    public func refund(depositID: UUID, staffID: UUID, reason: String) async throws -> Result {
        guard let deposit = try await ledger.deposit(id: depositID) else { throw APIError.notFound("deposit") }
        guard configuration.isMethodEnabled(deposit.method) else { throw APIError.gatewayDisabled }
        guard let refunded = try await ledger.beginDepositRefund(reference: deposit.reference, reason: "refund by staff: \(reason)", changedBy: "staff:\(staffID.uuidString.lowercased())") else {
            throw APIError(.conflict, code: "deposit_not_refundable", vi: "Chỉ hoàn được khoản nạp đã hoàn tất (hiện: \(deposit.status.rawValue)).", en: "Only a completed deposit can be refunded (it is \(deposit.status.rawValue)).")
        }
        let outcome = try await settle(refunded, by: "staff:\(staffID.uuidString.lowercased())")
        switch outcome {
        case .refused(let why):
            await audit(DepositAuditEvent(kind: .rejected, depositID: deposit.id, reference: deposit.reference, gateway: deposit.method, detail: "refund refused: \(why)", staffID: staffID))
            throw APIError(.badGateway, code: "gateway_refused", vi: "Cổng thanh toán từ chối hoàn tiền; số dư đã được trả lại.", en: "The gateway refused the refund; the balance was restored.")
        case .accepted, .unknown:
            await audit(DepositAuditEvent(kind: .refunded, depositID: deposit.id, reference: deposit.reference, gateway: deposit.method, detail: reason, staffID: staffID))
            let current = try await ledger.deposit(id: depositID) ?? refunded
            return Result(deposit: current, refund: outcome == .accepted ? "confirmed" : "requested")
        }
    }

    /// Asks the gateway and records its answer (confirm, or revert and give the money back).
    private func settle(_ deposit: Deposit, by actor: String) async throws -> GatewayRefundOutcome {
        let dong = deposit.amount.minorUnits / 100
        let outcome: GatewayRefundOutcome
        switch deposit.method {
        case "vnpay": outcome = await vnpay.refund(deposit: deposit, createdBy: actor)
        case "momo": outcome = await momo.refund(reference: deposit.reference, transID: Int64(deposit.externalID ?? "") ?? 0, amountDong: dong, description: "Hoan tien \(deposit.reference)")
        case "zalopay": outcome = await zaloPay.refund(reference: deposit.reference, zpTransID: Int64(deposit.externalID ?? "") ?? 0, amountDong: dong, description: "Hoan tien \(deposit.reference)")
        default: outcome = .accepted  // bank transfer: paid back by hand
        }
        switch outcome {
        case .accepted: try await ledger.confirmDepositRefund(reference: deposit.reference)
        case .refused(let why): try await ledger.revertDepositRefund(reference: deposit.reference, reason: "gateway refused the refund: \(why)", changedBy: actor)
        case .unknown: logger.warning("refund not answered by the gateway; will ask again", metadata: ["reference": "\(deposit.reference)"])
        }
        return outcome
    }

    /// Refunds left `requested` (no answer, or a crash before the answer was recorded).
    @discardableResult
    public func retryUnconfirmed(olderThan age: Duration = .seconds(60)) async throws -> Int {
        var settled = 0
        for deposit in try await ledger.unconfirmedRefunds(olderThan: age) where configuration.isMethodEnabled(deposit.method) {
            if try await settle(deposit, by: "refund-retry") != .unknown { settled += 1 }
        }
        return settled
    }
}
