import Foundation
import MathFarmCore
import PostgresNIO

/// The SELECT list and decoder for a user joined with its role, shared by every lookup.
enum UserRow {
    static let columns = """
        u.id, u.email, u.full_name, u.phone, COALESCE(r.role_name, 'user'), COALESCE(u.is_active, true),
        COALESCE(u.is_verified, false), u.last_login, u.created_at, u.password_hash
        """

    static func decode(_ row: PostgresRow) throws -> (UserProfile, passwordHash: String) {
        let (id, email, name, phone, role, active, verified, lastLogin, createdAt, hash) = try row.decode(
            (UUID, String, String, String?, String, Bool, Bool, Date?, Date, String).self
        )
        let profile = UserProfile(
            id: id, email: email, fullName: name, phone: phone, role: role,
            isActive: active, isVerified: verified, lastLogin: lastLogin, createdAt: createdAt
        )
        return (profile, hash)
    }
}
