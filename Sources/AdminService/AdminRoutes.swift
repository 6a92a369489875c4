import Foundation
import Hummingbird
import MathFarmCore
import PaymentService
import UserService

/// Staff endpoints under `/api/v1/admin`: login, own profile, and wallet adjustments.
public struct AdminRoutes: Sendable {
    let staff: StaffAccounts
    let audit: AuditLog
    let ledger: Ledger
    let customers: CustomerAuth
    let idempotency: IdempotencyStore
    let deposits: DepositService
    let refunds: DepositRefunds
    let trustProxy: Bool

    /// Largest single adjustment, either way: 1,000,000,000 VND.
    public static let maxAdjustment = Money(dong: 1_000_000_000)
    public static let maxReasonLength = 500

    public init(staff: StaffAccounts, audit: AuditLog, ledger: Ledger, customers: CustomerAuth, idempotency: IdempotencyStore, deposits: DepositService, refunds: DepositRefunds, trustProxy: Bool) {
        self.deposits = deposits
        self.refunds = refunds
        self.staff = staff
        self.audit = audit
        self.ledger = ledger
        self.customers = customers
        self.idempotency = idempotency
        self.trustProxy = trustProxy
    }

    /// The idempotency scope of one staff member adjusting one wallet.
    public static func adjustmentScope(staffID: UUID, userID: UUID) -> String {
        "admin:\(staffID.uuidString.lowercased()):adjust:\(userID.uuidString.lowercased())"
    }

    /// The ledger reference of an adjustment made under an Idempotency-Key: derived, so a retry
    /// of a request whose first attempt died after moving the money finds that movement.
    public static func adjustmentReference(scope: String, key: String) -> String {
        "adj-" + SecretToken.sha256Hex(scope + "\n" + key).prefix(40)
    }

    struct LoginBody: Decodable {
        let username: String
        let password: String
    }

    struct RefundBody: Decodable {
        let reason: String
    }

    struct AdjustmentBody: Decodable {
        let amount: Money
        let reason: String
    }

    struct AdjustmentResult: Encodable {
        let transactionID: UUID
        let userID: UUID
        let amount: Money
        let balance: WalletBalance

        enum CodingKeys: String, CodingKey {
            case amount, balance
            case transactionID = "transaction_id"
            case userID = "user_id"
        }
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.post("admin/auth/login") { request, context in
            let body = try await JSONBody.decode(LoginBody.self, from: request)
            let client = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
            return try JSONBody.response(try await staff.login(login: body.username, password: body.password, client: client))
        }
        api.post("admin/users/:id/adjustments") { request, context in
            try await adjust(request, context)
        }
        api.post("admin/deposits/:id/refund") { request, context in
            let principal = try await staff.authenticate(bearer: RequestMetadata.bearerToken(request))
            try principal.require(.paymentsRefund)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("deposit") }
            let body = try await JSONBody.decode(RefundBody.self, from: request)
            guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty, body.reason.count <= Self.maxReasonLength else {
                throw APIError.invalidField("reason", vi: "Cần lý do (tối đa \(Self.maxReasonLength) ký tự).", en: "A reason is required (at most \(Self.maxReasonLength) characters).")
            }
            return try JSONBody.response(try await refunds.refund(depositID: id, staffID: principal.id, reason: body.reason))
        }
        api.post("admin/deposits/:id/confirm") { request, context in
            let principal = try await staff.authenticate(bearer: RequestMetadata.bearerToken(request))
            try principal.require(.paymentsConfirm)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("deposit") }
            let transition = try await deposits.confirmByStaff(depositID: id, staffID: principal.id)
            switch transition {
            case .moved, .alreadyResolved(.completed):
                return try JSONBody.response(try await ledger.deposit(id: id))
            case .alreadyResolved(let status):
                throw APIError(.conflict, code: "deposit_not_pending", vi: "Khoản nạp đã ở trạng thái \(status.rawValue).", en: "The deposit is already \(status.rawValue).")
            case .notFound:
                throw APIError.notFound("deposit")
            case .amountMismatch:
                throw APIError.internalError
            }
        }
    }

    func adjust(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let principal = try await staff.authenticate(bearer: RequestMetadata.bearerToken(request))
        try principal.require(.paymentsAdjust)
        guard let userID = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("user") }
        let raw = try await JSONBody.bytes(of: request)
        let body = try JSONBody.decode(AdjustmentBody.self, from: raw)
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw APIError.missingField("reason") }
        guard reason.count <= Self.maxReasonLength else { throw APIError.tooLong("reason", limit: Self.maxReasonLength) }
        guard body.amount != .zero else { throw LedgerError.invalidAmount() }
        guard abs(body.amount.minorUnits) <= Self.maxAdjustment.minorUnits else {
            throw APIError.invalidField("amount", vi: "Mỗi lần điều chỉnh tối đa \(Self.maxAdjustment) VND.", en: "An adjustment is at most \(Self.maxAdjustment) VND.")
        }
        guard try await customers.userExists(userID) else { throw APIError.notFound("user") }
        let client = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
        let staffName = "staff:\(principal.username)"

        @Sendable func perform(reference: String) async throws -> IdempotencyStore.StoredResponse {
            let movement = body.amount.minorUnits > 0
                ? try await ledger.credit(userID: userID, amount: body.amount, reference: reference, reason: reason, description: reason, changedBy: staffName)
                : try await ledger.debit(userID: userID, amount: -body.amount, reference: reference, reason: reason, description: reason, changedBy: staffName)
            let elapsed = ContinuousClock.now - started
            let before = movement.created ? movement.wallet.available - body.amount : nil
            try await audit.recordOnce(.init(
                staffID: principal.id, action: .balanceAdjustment, entity: .wallet, entityID: userID,
                oldValues: before.map { ["available": $0.description] },
                newValues: ["available": movement.wallet.available.description, "amount": body.amount.description, "reason": reason],
                client: client,
                executionTimeMs: elapsed.wholeMilliseconds
            ), transactionID: movement.transactionID)
            let result = AdjustmentResult(transactionID: movement.transactionID, userID: userID, amount: body.amount, balance: movement.wallet)
            return .init(status: HTTPResponse.Status.created.code, body: try JSONBody.encode(result))
        }

        guard let key = try IdempotencyStore.key(from: request) else {
            return try await perform(reference: "adj-\(UUID().uuidString.lowercased())").response
        }
        let scope = Self.adjustmentScope(staffID: principal.id, userID: userID)
        return try await idempotency.run(scope: scope, key: key, requestBody: raw) {
            try await perform(reference: Self.adjustmentReference(scope: scope, key: key))
        }.response
    }
}
