import Foundation
import Logging
import MathFarmCore
import PostgresNIO

/// Customer accounts and sessions: register, login, refresh with rotation, logout, and access
/// token checks. The only writer of `users`, `user_sessions` and `rotated_refresh_tokens`.
public struct CustomerAuth: Sendable {
    let database: Database
    let tokens: AccessTokenService
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let refreshTTL: Duration
    /// How soon after a rotation the same client may present the old refresh token without
    /// revoking the session (two tabs racing).
    let reuseGrace: Duration
    /// Checked when the email is unknown, so a miss costs as long as a wrong password.
    let decoyHash: String
    /// Live sessions confirmed a moment ago; every way this type ends a session evicts it.
    let sessions: LiveSessionCache

    public init(
        database: Database, tokens: AccessTokenService, hasher: PasswordHasher, throttle: LoginThrottle,
        refreshTTL: Duration, decoyHash: String, reuseGrace: Duration = .seconds(30), sessions: LiveSessionCache
    ) {
        self.sessions = sessions
        self.decoyHash = decoyHash
        self.reuseGrace = reuseGrace
        self.database = database
        self.tokens = tokens
        self.hasher = hasher
        self.throttle = throttle
        self.refreshTTL = refreshTTL
    }

    public struct Registration: Sendable {
        public var email: String
        public var password: String
        public var fullName: String
        public var phone: String?

        public init(email: String, password: String, fullName: String, phone: String?) {
            self.email = email
            self.password = password
            self.fullName = fullName
            self.phone = phone
        }
    }

    public func register(_ registration: Registration, device: DeviceContext, role: String = "user") async throws -> AuthResult {
        let refresh = SecretToken.generate()
        let refreshTTLSeconds = Int(refreshTTL.timeInterval)
        let (profile, sessionID) = try await insertAccount(registration, role: role) { connection, profile in
            try await Self.createSession(
                connection: connection, logger: database.logger, userID: profile.id,
                refreshHash: SecretToken.sha256Hex(refresh), ttlSeconds: refreshTTLSeconds, device: device
            )
        }
        return AuthResult(user: profile, tokens: try await tokenPair(userID: profile.id, sessionID: sessionID, refresh: refresh))
    }

    /// The website's registration: the account and its balance row, no API session (the
    /// website opens a browser session instead).
    public func createAccount(_ registration: Registration) async throws -> UserProfile {
        try await insertAccount(registration, role: "user") { _, _ in () }.0
    }

    /// Validates and inserts the customer and its `user_balance` row, then runs `alsoInTransaction`
    /// in the same transaction. 409 `email_taken` for a second account with the same email.
    private func insertAccount<T: Sendable>(
        _ registration: Registration, role: String,
        alsoInTransaction: (PostgresConnection, UserProfile) async throws -> T
    ) async throws -> (UserProfile, T) {
        let email = try AccountValidation.normalizedEmail(registration.email)
        try AccountValidation.checkPassword(registration.password, email: email)
        let name = try AccountValidation.fullName(registration.fullName)
        let phone = try AccountValidation.phone(registration.phone)
        let hash = try await hasher.hash(registration.password)
        do {
            return try await database.transaction { connection in
                let inserted = try await connection.query("""
                    WITH inserted AS (
                        INSERT INTO users (email, password_hash, full_name, phone, role_id, last_login)
                        VALUES (\(email), \(hash), \(name), \(phone), (SELECT id FROM user_roles WHERE role_name = \(role)), now())
                        RETURNING *
                    )
                    SELECT \(unescaped: UserRow.columns) FROM inserted u LEFT JOIN user_roles r ON r.id = u.role_id
                    """, logger: database.logger).collectRows()
                guard let row = inserted.first else { throw APIError.internalError }
                let profile = try UserRow.decode(row).0
                try await connection.query(
                    "INSERT INTO user_balance (user_id) VALUES (\(profile.id))", logger: database.logger
                )
                return (profile, try await alsoInTransaction(connection, profile))
            }
        } catch let error as PSQLError where error.sqlState == SQLState.uniqueViolation {
            throw APIError(
                .conflict, code: "email_taken",
                vi: "Email này đã được đăng ký.", en: "An account with this email already exists.",
                details: ["field": "email"]
            )
        }
    }

    public func login(email: String, password: String, device: DeviceContext) async throws -> AuthResult {
        let verified = try await verifiedCustomer(email: email, password: password, device: device)
        let refresh = SecretToken.generate()
        let sessionID = try await database.transaction { connection in
            try await Self.createSession(
                connection: connection, logger: database.logger, userID: verified.id,
                refreshHash: SecretToken.sha256Hex(refresh), ttlSeconds: Int(refreshTTL.timeInterval), device: device
            )
        }
        return AuthResult(user: verified, tokens: try await tokenPair(userID: verified.id, sessionID: sessionID, refresh: refresh))
    }

    /// Checks an email and password under the login throttle and records the login; the caller
    /// opens whichever kind of session it needs (API tokens here, a browser session for the
    /// website). 401 `invalid_credentials` or 429 from the throttle otherwise.
    public func verifiedCustomer(email rawEmail: String, password: String, device: DeviceContext) async throws -> UserProfile {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.count <= AccountValidation.maxEmailLength else { throw APIError.tooLong("email", limit: AccountValidation.maxEmailLength) }
        guard password.utf8.count <= 1024 else { throw APIError.tooLong("password", limit: 1024) }
        try await throttle.check(email: email, ip: device.ip)

        let rows = try await database.query("""
            SELECT \(unescaped: UserRow.columns) FROM users u LEFT JOIN user_roles r ON r.id = u.role_id
            WHERE u.email = \(email)
            """).collectRows()
        let found = try rows.first.map(UserRow.decode)
        let hash = found?.passwordHash ?? decoyHash
        let matches = try await hasher.verify(password, hash: hash)
        guard let found, matches, found.0.isActive else {
            try await throttle.recordFailure(email: email, ip: device.ip)
            throw APIError(
                .unauthorized, code: "invalid_credentials",
                vi: "Email hoặc mật khẩu không đúng.", en: "Wrong email or password."
            )
        }
        try await throttle.recordSuccess(email: email, ip: device.ip)
        let updated = try await database.query("""
            WITH updated AS (UPDATE users SET last_login = now() WHERE id = \(found.0.id) RETURNING *)
            SELECT \(unescaped: UserRow.columns) FROM updated u LEFT JOIN user_roles r ON r.id = u.role_id
            """).collectRows()
        guard let row = updated.first else { throw APIError.internalError }
        return try UserRow.decode(row).0
    }

    /// Exchanges a refresh token for a new pair. The presented token stops working; presenting
    /// it again later (a sign it was stolen) revokes the whole session, except within
    /// `reuseGrace` of the rotation by the same client (its user agent): two tabs refreshing at
    /// once, where the loser gets 409 `refresh_token_superseded` and the session lives on.
    public func refresh(token: String, userAgent: String? = nil) async throws -> TokenPair {
        let invalid = APIError(
            .unauthorized, code: "invalid_refresh_token",
            vi: "Mã làm mới không hợp lệ hoặc đã hết hạn.", en: "The refresh token is invalid or expired."
        )
        guard !token.isEmpty, token.count <= 512 else { throw invalid }
        let oldHash = SecretToken.sha256Hex(token)
        let newToken = SecretToken.generate()
        let newHash = SecretToken.sha256Hex(newToken)
        let refreshTTLSeconds = Int(refreshTTL.timeInterval)
        let graceSeconds = reuseGrace.timeInterval
        let agent = userAgent.map { String($0.prefix(512)) }
        enum Outcome: Sendable { case rotated(UUID, UUID), superseded, reused(UUID), expired, unknown }
        let outcome: Outcome = try await database.transaction { connection in
            let rotated = try await connection.query("""
                UPDATE user_sessions s
                SET refresh_token = \(newHash), expires_at = now() + make_interval(secs => \(refreshTTLSeconds))
                FROM users u
                WHERE s.refresh_token = \(oldHash) AND s.expires_at > now() AND u.id = s.user_id AND u.is_active
                RETURNING s.id, s.user_id
                """, logger: database.logger).collectRows()
            if let row = rotated.first {
                let (sessionID, userID) = try row.decode((UUID, UUID).self)
                try await connection.query("""
                    INSERT INTO rotated_refresh_tokens (token_hash, session_id, user_agent) VALUES (\(oldHash), \(sessionID), \(agent))
                    """, logger: database.logger)
                return .rotated(sessionID, userID)
            }
            // Rotated away already: by this client a moment ago (a race), or a replay.
            let previous = try await connection.query("""
                SELECT session_id, rotated_at > now() - make_interval(secs => \(graceSeconds)) AND user_agent IS NOT DISTINCT FROM \(agent)
                FROM rotated_refresh_tokens WHERE token_hash = \(oldHash)
                """, logger: database.logger).collectRows()
            if let row = previous.first {
                let (sessionID, raced) = try row.decode((UUID, Bool).self)
                if raced { return .superseded }
                try await connection.query("DELETE FROM user_sessions WHERE id = \(sessionID)", logger: database.logger)
                return .reused(sessionID)
            }
            let expired = try await connection.query(
                "DELETE FROM user_sessions WHERE refresh_token = \(oldHash) RETURNING id", logger: database.logger
            ).collectRows()
            return expired.isEmpty ? .unknown : .expired
        }
        switch outcome {
        case .rotated(let sessionID, let userID):
            return try await tokenPair(userID: userID, sessionID: sessionID, refresh: newToken)
        case .superseded:
            throw APIError(
                .conflict, code: "refresh_token_superseded",
                vi: "Mã làm mới vừa được đổi bởi một yêu cầu khác của bạn; hãy dùng cặp mã mới nhất.",
                en: "This refresh token was just rotated by another request of yours; use the newest tokens."
            )
        case .reused(let sessionID):
            sessions.evict(session: sessionID)
            database.logger.warning("refresh token reuse detected; session revoked")
            throw APIError(
                .unauthorized, code: "refresh_token_reused",
                vi: "Mã làm mới đã được dùng trước đó; phiên đăng nhập đã bị thu hồi.",
                en: "This refresh token was already used; the session has been revoked."
            )
        case .expired, .unknown:
            throw invalid
        }
    }

    /// Ends the session the access token belongs to. Idempotent.
    public func logout(_ principal: CustomerPrincipal) async throws {
        try await database.query("DELETE FROM user_sessions WHERE id = \(principal.sessionID) AND user_id = \(principal.userID)")
        sessions.evict(session: principal.sessionID)
    }

    /// Every authenticated request asks it: prepared once per connection.
    enum LiveSessionQuery: PreparedQueryKey {}

    /// Resolves a bearer token to a customer with a live session, or throws 401. The session is
    /// read from PostgreSQL at most once per `LiveSessionCache.lifetime`.
    public func authenticate(bearer token: String?) async throws -> CustomerPrincipal {
        guard let token, let claims = await tokens.verify(token, audience: .customer),
              let userID = UUID(uuidString: claims.sub.value),
              let sid = claims.sid, let sessionID = UUID(uuidString: sid)
        else { throw APIError.unauthorized }
        if let live = sessions.entry(session: sessionID, user: userID) {
            return CustomerPrincipal(userID: userID, sessionID: sessionID, role: live.role, permissions: live.permissions)
        }
        let ticket = sessions.readTicket()
        let rows = try await database.prepared(LiveSessionQuery.self, """
            SELECT COALESCE(r.role_name, 'user'), COALESCE(r.permissions, '{}'::jsonb)::text, s.expires_at
            FROM user_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.id = u.role_id
            WHERE s.id = \(sessionID) AND s.user_id = \(userID) AND s.expires_at > now() AND u.is_active
            """)
        guard let row = rows.first else {
            sessions.evict(session: sessionID)
            throw APIError.unauthorized
        }
        let (role, permissionsJSON, expiresAt) = try row.decode((String, String, Date).self)
        let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
        sessions.store(session: sessionID, .init(userID: userID, role: role, permissions: permissions, expiresAt: expiresAt), ticket: ticket)
        return CustomerPrincipal(userID: userID, sessionID: sessionID, role: role, permissions: permissions)
    }

    public func profile(_ userID: UUID) async throws -> UserProfile? {
        let rows = try await database.query("""
            SELECT \(unescaped: UserRow.columns) FROM users u LEFT JOIN user_roles r ON r.id = u.role_id WHERE u.id = \(userID)
            """).collectRows()
        return try rows.first.map { try UserRow.decode($0).0 }
    }

    /// Whether the user exists (the payment service checks before it moves money for someone).
    public func userExists(_ userID: UUID) async throws -> Bool {
        !(try await database.query("SELECT 1 FROM users WHERE id = \(userID)").collectRows()).isEmpty
    }

    /// Changes the name and phone (the email is the login and stays).
    public func updateProfile(userID: UUID, fullName: String, phone: String?) async throws -> UserProfile {
        let name = try AccountValidation.fullName(fullName)
        let phone = try AccountValidation.phone(phone)
        let rows = try await database.query("""
            WITH updated AS (UPDATE users SET full_name = \(name), phone = \(phone) WHERE id = \(userID) RETURNING *)
            SELECT \(unescaped: UserRow.columns) FROM updated u LEFT JOIN user_roles r ON r.id = u.role_id
            """).collectRows()
        guard let row = rows.first else { throw APIError.unauthorized }
        return try UserRow.decode(row).0
    }

    /// Replaces the password after checking the current one (under the login throttle, so the
    /// form cannot be used to guess it). Every other session ends: the API's sessions and every
    /// browser session but `keepingBrowserSession`, the one that asked.
    public func changePassword(userID: UUID, current: String, new: String, keepingBrowserSession: UUID?, device: DeviceContext) async throws {
        guard let profile = try await self.profile(userID) else { throw APIError.unauthorized }
        guard current.utf8.count <= 1024 else { throw APIError.tooLong("current_password", limit: 1024) }
        try await throttle.check(email: profile.email, ip: device.ip)
        let rows = try await database.query("SELECT password_hash FROM users WHERE id = \(userID)").collectRows()
        guard let hash = try rows.first?.decode(String.self) else { throw APIError.unauthorized }
        guard try await hasher.verify(current, hash: hash) else {
            try await throttle.recordFailure(email: profile.email, ip: device.ip)
            throw APIError(
                .unprocessableContent, code: "wrong_password",
                vi: "Mật khẩu hiện tại không đúng.", en: "The current password is wrong.",
                details: ["field": "current_password"]
            )
        }
        try AccountValidation.checkPassword(new, email: profile.email)
        let newHash = try await hasher.hash(new)
        try await database.transaction { connection in
            try await connection.query("UPDATE users SET password_hash = \(newHash) WHERE id = \(userID)", logger: database.logger)
            try await connection.query("DELETE FROM user_sessions WHERE user_id = \(userID)", logger: database.logger)
            try await connection.query("""
                DELETE FROM browser_sessions WHERE user_id = \(userID) AND (\(keepingBrowserSession)::uuid IS NULL OR id <> \(keepingBrowserSession))
                """, logger: database.logger)
        }
        sessions.evict(user: userID)
    }

    /// Deletes sessions past their expiry and spent throttle windows.
    public func sweepExpired() async throws {
        try await database.query("DELETE FROM user_sessions WHERE expires_at < now()")
        try await throttle.prune()
    }

    private func tokenPair(userID: UUID, sessionID: UUID, refresh: String) async throws -> TokenPair {
        let access = try await tokens.issue(subject: userID, audience: .customer, sessionID: sessionID)
        return TokenPair(accessToken: access, refreshToken: refresh, expiresIn: Int(tokens.ttl.timeInterval))
    }

    private static func createSession(
        connection: PostgresConnection, logger: Logger, userID: UUID, refreshHash: String, ttlSeconds: Int, device: DeviceContext
    ) async throws -> UUID {
        let deviceInfo = try String(
            data: JSONEncoder().encode(["name": device.deviceName, "user_agent": device.userAgent]), encoding: .utf8
        ) ?? "{}"
        let rows = try await connection.query("""
            INSERT INTO user_sessions (user_id, session_token, refresh_token, device_info, ip_address, user_agent, expires_at)
            VALUES (\(userID), \(SecretToken.generate()), \(refreshHash), \(deviceInfo)::jsonb, \(device.ip)::inet,
                    \(device.userAgent), now() + make_interval(secs => \(ttlSeconds)))
            RETURNING id
            """, logger: logger).collectRows()
        guard let row = rows.first else { throw APIError.internalError }
        return try row.decode(UUID.self)
    }
}
