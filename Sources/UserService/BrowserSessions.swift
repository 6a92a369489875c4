import Foundation
import MathFarmCore
import PostgresNIO

/// A signed-in browser: the customer, the form token of the session and what every page header
/// shows (name, balance), read in one query.
public struct BrowserSession: Sendable, Equatable {
    /// The row id (not the cookie: the cookie's token is stored only as a hash).
    public var id: UUID
    /// The customer as the in-process services expect it (`sessionID` is this session's id).
    public var principal: CustomerPrincipal
    public var email: String
    public var fullName: String
    /// The synchronizer token every form of this session must carry.
    public var csrfToken: String
    /// `user_balance.current_balance`: the read model, which may lag the ledger by a relay tick.
    public var balance: Money
    public var lastSeenAt: Date
    public var expiresAt: Date

    public var userID: UUID { principal.userID }
}

/// Website sessions in `user_service_db.browser_sessions`: the only writer of that table.
///
/// The browser holds a random 256-bit token in an HttpOnly cookie; the table keeps its SHA-256.
/// Sessions slide: a request more than `touchInterval` after the last one moves the expiry
/// `ttl` ahead, so an active student stays signed in and an idle cookie dies after `ttl`.
public struct BrowserSessions: Sendable {
    let database: Database
    public let ttl: Duration
    let touchInterval: Duration

    public init(database: Database, ttl: Duration, touchInterval: Duration = .seconds(300)) {
        self.database = database
        self.ttl = ttl
        self.touchInterval = touchInterval
    }

    /// Opens a session for a customer who just proved who they are. Returns the cookie value.
    public func start(userID: UUID, device: DeviceContext) async throws -> (token: String, session: BrowserSession) {
        let token = SecretToken.generate()
        let csrf = SecretToken.generate()
        let seconds = Int(ttl.timeInterval)
        try await database.query("""
            INSERT INTO browser_sessions (token_hash, user_id, csrf_token, ip_address, user_agent, expires_at)
            VALUES (\(SecretToken.sha256Hex(token)), \(userID), \(csrf), \(device.ip)::inet, \(device.userAgent),
                    now() + make_interval(secs => \(seconds)))
            """)
        guard let session = try await session(token: token) else { throw APIError.internalError }
        return (token, session)
    }

    /// The live session behind a cookie value, or nil (unknown, expired, or the customer was
    /// deactivated). Slides the expiry when the session was last seen over `touchInterval` ago.
    public func session(token: String) async throws -> BrowserSession? {
        guard (20...128).contains(token.utf8.count) else { return nil }
        let rows = try await database.query("""
            SELECT s.id, s.user_id, COALESCE(r.role_name, 'user'), COALESCE(r.permissions, '{}'::jsonb)::text,
                   u.email, u.full_name, s.csrf_token, COALESCE((b.current_balance * 100)::int8, 0),
                   s.last_seen_at, s.expires_at
            FROM browser_sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN user_roles r ON r.id = u.role_id LEFT JOIN user_balance b ON b.user_id = u.id
            WHERE s.token_hash = \(SecretToken.sha256Hex(token)) AND s.expires_at > now() AND COALESCE(u.is_active, true)
            """).collectRows()
        guard let row = rows.first else { return nil }
        let (id, userID, role, permissionsJSON, email, name, csrf, balance, lastSeen, expires) = try row.decode(
            (UUID, UUID, String, String, String, String, String, Int64, Date, Date).self
        )
        let permissions = (try? JSONDecoder().decode([String: Bool].self, from: Data(permissionsJSON.utf8))) ?? [:]
        var session = BrowserSession(
            id: id, principal: CustomerPrincipal(userID: userID, sessionID: id, role: role, permissions: permissions),
            email: email, fullName: name, csrfToken: csrf, balance: Money(minorUnits: balance), lastSeenAt: lastSeen, expiresAt: expires
        )
        if Date().timeIntervalSince(lastSeen) > touchInterval.timeInterval {
            let seconds = Int(ttl.timeInterval)
            let touched = try await database.query("""
                UPDATE browser_sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => \(seconds))
                WHERE id = \(id) RETURNING last_seen_at, expires_at
                """).collectRows()
            if let (seen, expiry) = try touched.first?.decode((Date, Date).self) {
                session.lastSeenAt = seen
                session.expiresAt = expiry
            }
        }
        return session
    }

    /// Ends the session behind a cookie value (log out). Idempotent.
    public func end(token: String) async throws {
        guard (20...128).contains(token.utf8.count) else { return }
        try await database.query("DELETE FROM browser_sessions WHERE token_hash = \(SecretToken.sha256Hex(token))")
    }

    /// Deletes sessions past their expiry (the session sweeper).
    public func sweepExpired() async throws {
        try await database.query("DELETE FROM browser_sessions WHERE expires_at < now()")
    }
}
