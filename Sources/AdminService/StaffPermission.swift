/// Permissions a staff account can hold, checked per admin endpoint. A super admin holds all.
public enum StaffPermission: String, CaseIterable, Sendable, Codable {
    case usersRead = "users.read"
    case usersWrite = "users.write"
    case paymentsRefund = "payments.refund"
    case paymentsAdjust = "payments.adjust"
    case paymentsConfirm = "payments.confirm"
    case solutionsRead = "solutions.read"
    case solutionsRerun = "solutions.rerun"
    case catalogWrite = "catalog.write"
    case contentWrite = "content.write"
    case settingsWrite = "settings.write"
    case auditRead = "audit.read"
}
