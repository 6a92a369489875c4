import Foundation

/// What the deposit flow reports to the audit trail (which lives in the admin service's
/// database, so it is handed over rather than written in the payment transaction): a
/// completed deposit (recorded once per deposit, also when a repeat notification finds an
/// audit row missing after a crash) and every rejected notification.
public struct DepositAuditEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case completed, failed, expired, rejected, refunded
    }

    public var kind: Kind
    public var depositID: UUID?
    public var reference: String?
    public var gateway: String
    public var detail: String
    public var staffID: UUID?

    public init(kind: Kind, depositID: UUID?, reference: String?, gateway: String, detail: String, staffID: UUID? = nil) {
        self.kind = kind
        self.depositID = depositID
        self.reference = reference
        self.gateway = gateway
        self.detail = detail
        self.staffID = staffID
    }
}
