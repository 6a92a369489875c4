/// The five databases of MathFarm, one per service. Each is written only by the service that owns it.
public enum ServiceDatabase: String, CaseIterable, Sendable, Codable {
    case user = "user_service_db"
    case payment = "payment_service_db"
    case solver = "math_solver_db"
    case content = "content_service_db"
    case admin = "admin_service_db"

    /// The environment variable holding this database's connection URL.
    public var urlVariable: String {
        switch self {
        case .user: return "MATHFARM_USER_DB_URL"
        case .payment: return "MATHFARM_PAYMENT_DB_URL"
        case .solver: return "MATHFARM_SOLVER_DB_URL"
        case .content: return "MATHFARM_CONTENT_DB_URL"
        case .admin: return "MATHFARM_ADMIN_DB_URL"
        }
    }

    /// Folder under `migrations/` holding this database's SQL files.
    public var migrationsFolder: String { rawValue }
}
