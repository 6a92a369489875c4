import Foundation
import MathFarmCore
import PostgresNIO

/// The staff view of customers, through the user service's own API: search, activate or
/// deactivate (deactivation also ends every session), change role.
public struct UserDirectory: Sendable {
    let database: Database
    /// Evicted when a change here ends or reprices a customer's sessions.
    let sessions: LiveSessionCache

    public init(database: Database, sessions: LiveSessionCache) {
        self.database = database
        self.sessions = sessions
    }

    /// Customers whose email, name or phone contains `query` (case-insensitive), newest first.
    public func search(_ query: String?, limit: Int, offset: Int) async throws -> (items: [UserProfile], total: Int) {
        let pattern = query.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%" }
        let rows = try await database.query("""
            SELECT u.id, u.email, u.full_name, u.phone, COALESCE(r.role_name, 'user'), COALESCE(u.is_active, true), COALESCE(u.is_verified, false),
                   u.last_login, u.created_at, count(*) OVER ()
            FROM users u LEFT JOIN user_roles r ON r.id = u.role_id
            WHERE \(pattern)::text IS NULL OR u.email ILIKE \(pattern) OR u.full_name ILIKE \(pattern) OR COALESCE(u.phone, '') ILIKE \(pattern)
            ORDER BY u.created_at DESC, u.id LIMIT \(limit) OFFSET \(offset)
            """)
        var items: [UserProfile] = []
        var total = 0
        for try await (id, email, name, phone, role, active, verified, lastLogin, created, count) in rows.decode((UUID, String, String, String?, String, Bool, Bool, Date?, Date, Int64).self) {
            items.append(UserProfile(id: id, email: email, fullName: name, phone: phone, role: role, isActive: active, isVerified: verified, lastLogin: lastLogin, createdAt: created))
            total = Int(count)
        }
        return (items, total)
    }

    /// Returns the previous state; deactivating revokes the customer's sessions.
    public func setActive(_ id: UUID, _ active: Bool) async throws -> Bool {
        defer { sessions.evict(user: id) }
        return try await database.transaction { connection in
            let rows = try await connection.query("""
                UPDATE users u SET is_active = \(active) FROM (SELECT is_active AS previous FROM users WHERE id = \(id) FOR UPDATE) p
                WHERE u.id = \(id) RETURNING COALESCE(p.previous, true)
                """, logger: database.logger).collectRows()
            guard let row = rows.first else { throw APIError.notFound("user") }
            if !active {
                try await connection.query("UPDATE user_sessions SET expires_at = now() WHERE user_id = \(id) AND expires_at > now()", logger: database.logger)
                try await connection.query("DELETE FROM browser_sessions WHERE user_id = \(id)", logger: database.logger)
            }
            return try row.decode(Bool.self)
        }
    }

    /// The customer's role name (pricing and queue priority depend on it).
    public func role(of id: UUID) async throws -> String {
        let rows = try await database.query("""
            SELECT COALESCE(r.role_name, 'user') FROM users u LEFT JOIN user_roles r ON r.id = u.role_id WHERE u.id = \(id)
            """).collectRows()
        guard let row = rows.first else { throw APIError.notFound("user") }
        return try row.decode(String.self)
    }

    /// Returns the previous role.
    public func setRole(_ id: UUID, _ role: String) async throws -> String {
        let roles = try await database.query("SELECT id FROM user_roles WHERE role_name = \(role)").collectRows()
        guard let roleID = try roles.first?.decode(UUID.self) else {
            throw APIError.invalidField("role", vi: "Không có vai trò '\(role.prefix(50))'.", en: "There is no role '\(role.prefix(50))'.")
        }
        let rows = try await database.query("""
            UPDATE users u SET role_id = \(roleID) FROM (SELECT r.role_name AS previous FROM users x LEFT JOIN user_roles r ON r.id = x.role_id WHERE x.id = \(id)) p
            WHERE u.id = \(id) RETURNING COALESCE(p.previous, 'user')
            """).collectRows()
        guard let row = rows.first else { throw APIError.notFound("user") }
        sessions.evict(user: id)
        return try row.decode(String.self)
    }
}
