import Foundation
import MathFarmCore
import PostgresNIO

/// A super admin's management of the other staff accounts: list, change permissions,
/// deactivate or reactivate, unlock after the lockout.
extension StaffAccounts {
    public struct StaffEntry: Sendable, Encodable {
        public var id: UUID
        public var username: String
        public var email: String
        public var fullName: String
        public var isSuperAdmin: Bool
        public var isActive: Bool
        public var permissions: [String]
        public var lockedUntil: Date?
        public var lastLogin: Date?

        enum CodingKeys: String, CodingKey {
            case id, username, email, permissions
            case fullName = "full_name"
            case isSuperAdmin = "is_super_admin"
            case isActive = "is_active"
            case lockedUntil = "locked_until"
            case lastLogin = "last_login"
        }
    }

    public func list() async throws -> [StaffEntry] {
        let rows = try await database.query("""
            SELECT a.id, a.username, a.email, a.full_name, COALESCE(a.is_super_admin, false), COALESCE(a.is_active, true),
                   COALESCE(a.permissions, '{}'::jsonb)::text,
                   (SELECT max(t.blocked_until) FROM staff_login_throttle t
                    WHERE t.blocked_until > now() AND t.scope IN ('account', 'account_ip')
                      AND (t.subject = a.id::text OR t.subject LIKE a.id::text || '|%')),
                   a.last_login
            FROM admin_users a ORDER BY a.username
            """)
        var entries: [StaffEntry] = []
        for try await (id, username, email, name, superAdmin, active, permissionsJSON, locked, lastLogin) in rows.decode((UUID, String, String, String, Bool, Bool, String, Date?, Date?).self) {
            let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
            entries.append(StaffEntry(
                id: id, username: username, email: email, fullName: name, isSuperAdmin: superAdmin, isActive: active,
                permissions: permissions.filter(\.value).keys.sorted(), lockedUntil: locked, lastLogin: lastLogin
            ))
        }
        return entries
    }

    /// Changes permissions and/or the active flag; a super admin cannot deactivate themself.
    public func update(_ id: UUID, by actor: UUID, permissions: [StaffPermission]?, isActive: Bool?) async throws {
        if id == actor, isActive == false {
            throw APIError(.conflict, code: "cannot_deactivate_self", vi: "Không thể tự vô hiệu hóa tài khoản của mình.", en: "You cannot deactivate your own account.")
        }
        let json = try permissions.map { String(decoding: try JSONEncoder().encode(try StaffPermission.document($0)), as: UTF8.self) }
        let rows = try await database.query("""
            UPDATE admin_users SET permissions = COALESCE(\(json)::jsonb, permissions), is_active = COALESCE(\(isActive)::bool, is_active)
            WHERE id = \(id) RETURNING id
            """).collectRows()
        guard !rows.isEmpty else { throw APIError.notFound("staff") }
    }

    /// Lifts every login delay of the account (from every address) and clears its failures.
    public func unlock(_ id: UUID) async throws {
        let rows = try await database.query("UPDATE admin_users SET locked_until = NULL, login_attempts = 0 WHERE id = \(id) RETURNING id").collectRows()
        guard !rows.isEmpty else { throw APIError.notFound("staff") }
        let account = id.uuidString.lowercased()
        try await backoff.reset([.init(Scope.account, account)])
        try await backoff.reset(scope: Scope.accountFromAddress, subjectPrefix: account + "|")
    }

    /// `unlock` by user name or email (the CLI); the account's id, or nil when there is none.
    public func unlock(login rawLogin: String) async throws -> UUID? {
        let login = rawLogin.trimmingCharacters(in: .whitespaces).lowercased()
        let rows = try await database.query("SELECT id FROM admin_users WHERE username = \(login) OR email = \(login)").collectRows()
        guard let id = try rows.first?.decode(UUID.self) else { return nil }
        try await unlock(id)
        return id
    }

    /// Forgets spent login failures (the periodic sweeper).
    public func pruneLoginFailures() async throws {
        try await backoff.prune()
    }
}
