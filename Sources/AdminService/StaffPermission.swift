import MathFarmCore

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

extension StaffPermission {
    /// The `admin_users.permissions` document for a list from a request: each permission once.
    /// A repeated one is a 422 naming the field, not a crash (`Dictionary(uniqueKeysWithValues:)`
    /// traps on duplicates) and not silently merged (the request means something else).
    static func document(_ permissions: [StaffPermission]) throws -> [String: Bool] {
        var document: [String: Bool] = [:]
        for permission in permissions {
            guard document.updateValue(true, forKey: permission.rawValue) == nil else {
                throw APIError.invalidField(
                    "permissions", vi: "Quyền '\(permission.rawValue)' bị lặp lại.", en: "The permission '\(permission.rawValue)' is listed twice."
                )
            }
        }
        return document
    }
}
