import Foundation
import MathFarmCore
import PostgresNIO
import UserService

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

/// Staff accounts (`admin_users`): creation, login with backoff, token checks.
///
/// Login policy (`LoginBackoff` over `staff_login_throttle`): after `maxFailures` wrong
/// passwords for an account from one address, that address waits 5 s, 10 s, 20 s … up to
/// `lockout` (defaults 5 and 15 minutes) before its next try on the account; from anywhere, the
/// account gets 4 × `maxFailures` free failures and then delays of at most 60 s, so nobody can
/// keep an owner (the last super admin included) out for long; an address gets 100 failures over
/// all accounts. While held back every login is refused, even with the right password; a
/// success clears the account's counts; `mathfarm admin unlock` and
/// `POST /admin/staff/{id}/unlock` clear them by hand.
public struct StaffAccounts: Sendable {
    let database: Database
    let tokens: AccessTokenService
    let hasher: PasswordHasher
    let audit: AuditLog
    let maxFailures: Int
    let lockout: Duration
    let decoyHash: String
    let backoff: LoginBackoff

    enum Scope {
        static let account = "account"
        static let accountFromAddress = "account_ip"
        static let address = "ip"
    }

    /// The account-wide delay never exceeds this (see the type's comment).
    public static let accountDelayCap: Duration = .seconds(60)

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
        self.backoff = LoginBackoff(database: database, table: "staff_login_throttle", window: lockout, rules: [
            Scope.accountFromAddress: .init(freeFailures: maxFailures, maximumDelay: lockout),
            Scope.account: .init(freeFailures: 4 * maxFailures, maximumDelay: min(Self.accountDelayCap, lockout)),
            Scope.address: .init(freeFailures: 100, maximumDelay: lockout),
        ])
    }

    /// What a login from `client` for the account `id` counts against.
    func subjects(_ id: UUID, client: RequestMetadata?) -> [LoginBackoff.Subject] {
        let account = id.uuidString.lowercased()
        var subjects = [LoginBackoff.Subject(Scope.account, account)]
        if let ip = client?.validClientIP {
            subjects.append(.init(Scope.accountFromAddress, "\(account)|\(ip)"))
            subjects.append(.init(Scope.address, ip))
        }
        return subjects
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
        let email = try AccountValidation.normalizedEmail(staff.email)
        let name = try FieldRules.text(staff.fullName.trimmingCharacters(in: .whitespaces), field: "full_name", range: 1...255)
        let hash = try await hasher.hash(staff.password)
        let permissions = try StaffPermission.document(staff.permissions)
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
                   COALESCE(permissions, '{}'::jsonb)::text
            FROM admin_users WHERE username = \(login) OR email = \(login)
            """).collectRows()
        guard let row = rows.first else {
            // Unknown names count against the address only, and cost as long as a wrong password.
            if let ip = client.validClientIP { try await backoff.check([.init(Scope.address, ip)]) }
            _ = try await hasher.verify(password, hash: decoyHash)
            if let ip = client.validClientIP { try await backoff.recordFailure([.init(Scope.address, ip)]) }
            throw invalid
        }
        let (id, username, email, name, hash, active, superAdmin, permissionsJSON) = try row.decode(
            (UUID, String, String, String, String, Bool, Bool, String).self
        )
        let subjects = subjects(id, client: client)
        try await backoff.check(subjects)
        guard try await hasher.verify(password, hash: hash), active else {
            try await recordFailure(id, subjects: subjects, client: client)
            throw invalid
        }
        try await backoff.reset(subjects.filter { $0.scope != Scope.address })
        try await database.query("UPDATE admin_users SET last_login = now() WHERE id = \(id)")
        try await audit.record(.init(staffID: id, action: .login, entity: .adminUser, entityID: id, client: client))
        let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
        let profile = StaffProfile(
            id: id, username: username, email: email, fullName: name, isSuperAdmin: superAdmin,
            permissions: permissions.filter(\.value).keys.sorted()
        )
        let token = try await tokens.issue(subject: id, audience: .staff)
        return LoginResult(accessToken: token, expiresIn: Int(tokens.ttl.timeInterval), staff: profile)
    }

    private func recordFailure(_ id: UUID, subjects: [LoginBackoff.Subject], client: RequestMetadata) async throws {
        try await backoff.recordFailure(subjects)
        try await audit.record(.init(staffID: id, action: .loginFailed, entity: .adminUser, entityID: id, client: client))
        // The first failure that holds the account back (from anywhere) is a lock in the audit trail.
        if let account = subjects.first, try await backoff.blockedUntil(account) != nil {
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
