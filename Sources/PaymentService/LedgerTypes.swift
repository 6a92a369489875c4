import Foundation
import MathFarmCore

public enum TransactionType: String, Sendable, Codable {
    case deposit
    case solveCharge = "solve_charge"
    case refund
    case adjustment
}

public enum TransactionStatus: String, Sendable, Codable {
    case pending, completed, failed, refunded, cancelled, expired
}

/// A solve charge placed as a two-phase hold.
public struct Hold: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var amount: Money
    public var status: TransactionStatus
    public var reference: String
    /// False when the reference already had a hold and that one was returned.
    public var created: Bool
}

/// What resolving a hold did. `firstTime` is false for a repeat, and `status` then tells how
/// the hold was resolved the first time (settling an already refunded hold reports `refunded`).
public struct HoldResolution: Sendable, Equatable {
    public var holdID: UUID
    public var status: TransactionStatus
    public var firstTime: Bool

    public init(holdID: UUID, status: TransactionStatus, firstTime: Bool) {
        self.holdID = holdID
        self.status = status
        self.firstTime = firstTime
    }
}

/// A completed credit or debit (adjustment or deposit).
public struct Movement: Sendable, Equatable {
    public var transactionID: UUID
    public var userID: UUID
    public var amount: Money
    public var type: TransactionType
    public var created: Bool
    public var wallet: WalletBalance
}

/// A wallet as its owner sees it.
public struct WalletBalance: Codable, Sendable, Equatable {
    public var available: Money
    public var held: Money
    public var totalDeposited: Money
    public var totalSpent: Money
    public var currency: String = "VND"

    enum CodingKeys: String, CodingKey {
        case available, held, currency
        case totalDeposited = "total_deposited"
        case totalSpent = "total_spent"
    }

    public static let empty = WalletBalance(available: .zero, held: .zero, totalDeposited: .zero, totalSpent: .zero)
}

/// One row of a user's transaction history.
public struct TransactionView: Codable, Sendable, Equatable {
    public var id: UUID
    public var type: TransactionType
    public var status: TransactionStatus
    public var amount: Money
    public var feeAmount: Money
    public var netAmount: Money
    public var referenceCode: String?
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, type, status, amount, description
        case feeAmount = "fee_amount"
        case netAmount = "net_amount"
        case referenceCode = "reference_code"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

public enum LedgerError {
    public static let holdNotFound = APIError.notFound("hold")

    public static func referenceConflict(_ reference: String) -> APIError {
        APIError(
            .conflict, code: "reference_conflict",
            vi: "Mã tham chiếu \(reference) đã được dùng cho một giao dịch khác.",
            en: "Reference \(reference) already belongs to a different transaction.",
            details: ["reference": reference]
        )
    }

    public static func invalidAmount(_ field: String = "amount") -> APIError {
        APIError.invalidField(field, vi: "Số tiền phải lớn hơn 0.", en: "The amount must be greater than zero.")
    }
}
