import Foundation
import MathFarmCore
import PostgresNIO

/// A staff member resolved from a valid staff access token.
public struct StaffPrincipal: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var isSuperAdmin: Bool
    public var permissions: Set<String>

    public func require(_ permission: StaffPermission) throws {
        guard isSuperAdmin || permissions.contains(permission.rawValue) else {
            throw APIError.forbidden(permission: permission.rawValue)
        }
    }
}

public struct StaffProfile: Codable, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var email: String
    public var fullName: String
    public var isSuperAdmin: Bool
    public var permissions: [String]

    enum CodingKeys: String, CodingKey {
        case id, username, email, permissions
        case fullName = "full_name"
        case isSuperAdmin = "is_super_admin"
    }
}

/// Staff accounts (`admin_users`): creation, login with lockout, token checks.
///
/// Lockout policy: `maxFailures` wrong passwords in a row lock the account for `lockout`
/// (defaults 5 and 15 minutes); while locked every login is refused, even with the right
/// password; a successful login resets the count.
public struct StaffAccounts: Sendable {
    let database: Database
    let tokens: AccessTokenService
    let hasher: PasswordHasher
    let audit: AuditLog
    let maxFailures: Int
    let lockout: Duration
    let decoyHash: String

    public init(
        database: Database, tokens: AccessTokenService, hasher: PasswordHasher, audit: AuditLog,
        maxFailures: Int, lockout: Duration, decoyHash: String
    ) {
        self.database = database
        self.tokens = tokens
        self.hasher = hasher
        self.audit = audit
        self.maxFailures = maxFailures
        self.lockout = lockout
        self.decoyHash = decoyHash
    }

    public struct NewStaff: Sendable {
        public var username: String
        public var email: String
        public var fullName: String
        public var password: String
        public var isSuperAdmin: Bool
        public var permissions: [StaffPermission]

        public init(username: String, email: String, fullName: String, password: String, isSuperAdmin: Bool, permissions: [StaffPermission]) {
            self.username = username
            self.email = email
            self.fullName = fullName
            self.password = password
            self.isSuperAdmin = isSuperAdmin
            self.permissions = permissions
        }
    }

    public func create(_ staff: NewStaff) async throws -> StaffProfile {
        let username = staff.username.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...100).contains(username.count), username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw APIError.invalidField("username", vi: "Tên đăng nhập 3–100 ký tự: chữ, số, . _ -", en: "Username: 3 to 100 characters of letters, digits, . _ -")
        }
        guard staff.password.utf8.count >= 12, staff.password.utf8.count <= 72 else {
            throw APIError(.unprocessableContent, code: "weak_password", vi: "Mật khẩu nhân viên phải dài 12–72 ký tự.", en: "Staff passwords must be 12 to 72 characters long.", details: ["field": "password"])
        }
        let email = staff.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 255 else {
            throw APIError.invalidField("email", vi: "Email không hợp lệ.", en: "The email address is not valid.")
        }
        let name = staff.fullName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 255 else { throw APIError.invalidField("full_name", vi: "Họ tên 1–255 ký tự.", en: "Full name must be 1 to 255 characters.") }
        let hash = try await hasher.hash(staff.password)
        let permissions = Dictionary(uniqueKeysWithValues: staff.permissions.map { ($0.rawValue, true) })
        let permissionsJSON = String(decoding: try JSONEncoder().encode(permissions), as: UTF8.self)
        do {
            let rows = try await database.query("""
                INSERT INTO admin_users (username, email, password_hash, full_name, permissions, is_super_admin)
                VALUES (\(username), \(email), \(hash), \(name), \(permissionsJSON)::jsonb, \(staff.isSuperAdmin))
                RETURNING id
                """).collectRows()
            guard let row = rows.first else { throw APIError.internalError }
            let id = try row.decode(UUID.self)
            return StaffProfile(id: id, username: username, email: email, fullName: name, isSuperAdmin: staff.isSuperAdmin, permissions: permissions.keys.sorted())
        } catch let error as PSQLError where error.sqlState == SQLState.uniqueViolation {
            throw APIError(.conflict, code: "staff_exists", vi: "Tên đăng nhập hoặc email đã tồn tại.", en: "A staff account with this username or email exists.")
        }
    }

    public struct LoginResult: Encodable, Sendable {
        public var accessToken: String
        public var tokenType = "Bearer"
        public var expiresIn: Int
        public var staff: StaffProfile

        enum CodingKeys: String, CodingKey {
            case staff
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    public func login(login rawLogin: String, password: String, client: RequestMetadata) async throws -> LoginResult {
        let login = rawLogin.trimmingCharacters(in: .whitespaces).lowercased()
        let invalid = APIError(.unauthorized, code: "invalid_credentials", vi: "Tên đăng nhập hoặc mật khẩu không đúng.", en: "Wrong username or password.")
        guard login.count <= 255, password.utf8.count <= 1024 else { throw invalid }
        let rows = try await database.query("""
            SELECT id, username, email, full_name, password_hash, COALESCE(is_active, true), COALESCE(is_super_admin, false),
                   COALESCE(permissions, '{}'::jsonb)::text,
                   CASE WHEN locked_until > now() THEN GREATEST(1, CEIL(EXTRACT(EPOCH FROM locked_until - now())))::int8 END
            FROM admin_users WHERE username = \(login) OR email = \(login)
            """).collectRows()
        guard let row = rows.first else {
            _ = try await hasher.verify(password, hash: decoyHash)
            throw invalid
        }
        let (id, username, email, name, hash, active, superAdmin, permissionsJSON, lockedFor) = try row.decode(
            (UUID, String, String, String, String, Bool, Bool, String, Int64?).self
        )
        if let lockedFor {
            throw APIError(
                .forbidden, code: "account_locked",
                vi: "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau \(lockedFor) giây.",
                en: "The account is locked after repeated failed logins. Try again in \(lockedFor) seconds.",
                details: ["retry_after": String(lockedFor)], headers: [.retryAfter: String(lockedFor)]
            )
        }
        guard try await hasher.verify(password, hash: hash), active else {
            try await recordFailure(id, client: client)
            throw invalid
        }
        try await database.query("""
            UPDATE admin_users SET login_attempts = 0, locked_until = NULL, last_login = now() WHERE id = \(id)
            """)
        try await audit.record(.init(staffID: id, action: .login, entity: .adminUser, entityID: id, client: client))
        let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
        let profile = StaffProfile(
            id: id, username: username, email: email, fullName: name, isSuperAdmin: superAdmin,
            permissions: permissions.filter(\.value).keys.sorted()
        )
        let token = try await tokens.issue(subject: id, audience: .staff)
        return LoginResult(accessToken: token, expiresIn: Int(tokens.ttl.timeInterval), staff: profile)
    }

    private func recordFailure(_ id: UUID, client: RequestMetadata) async throws {
        let rows = try await database.query("""
            UPDATE admin_users SET
                login_attempts = CASE WHEN login_attempts + 1 >= \(maxFailures) THEN 0 ELSE login_attempts + 1 END,
                locked_until = CASE WHEN login_attempts + 1 >= \(maxFailures)
                                    THEN now() + make_interval(secs => \(Int(lockout.timeInterval))) ELSE locked_until END
            WHERE id = \(id)
            RETURNING locked_until > now()
            """).collectRows()
        try await audit.record(.init(staffID: id, action: .loginFailed, entity: .adminUser, entityID: id, client: client))
        if let row = rows.first, try row.decode(Bool?.self) == true {
            try await audit.record(.init(staffID: id, action: .lock, entity: .adminUser, entityID: id, client: client))
        }
    }

    /// Resolves a staff bearer token, or throws 401. The account must still be active.
    public func authenticate(bearer token: String?) async throws -> StaffPrincipal {
        guard let token, let claims = await tokens.verify(token, audience: .staff), let id = UUID(uuidString: claims.sub.value) else {
            throw APIError.unauthorized
        }
        let rows = try await database.query("""
            SELECT username, COALESCE(is_super_admin, false), COALESCE(permissions, '{}'::jsonb)::text
            FROM admin_users WHERE id = \(id) AND COALESCE(is_active, true)
            """).collectRows()
        guard let row = rows.first else { throw APIError.unauthorized }
        let (username, superAdmin, permissionsJSON) = try row.decode((String, Bool, String).self)
        let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
        return StaffPrincipal(id: id, username: username, isSuperAdmin: superAdmin, permissions: Set(permissions.filter(\.value).keys))
    }
}
