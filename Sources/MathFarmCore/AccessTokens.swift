import Foundation
import JWTKit

/// Who an access token speaks for. Customers and staff get tokens for different audiences, so a
/// customer token never opens an admin endpoint and vice versa.
public enum TokenAudience: String, Sendable {
    case customer = "mathfarm-api"
    case staff = "mathfarm-admin"
}

/// The claims of a MathFarm access token (a short-lived HS256 JWT).
public struct AccessClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    /// The session the token was issued for (customers); logging out ends it.
    public var sid: String?

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Signs and verifies access tokens.
public struct AccessTokenService: Sendable {
    let keys: JWTKeyCollection
    public let ttl: Duration

    public init(secret: String, ttl: Duration) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.ttl = ttl
    }

    public func issue(subject: UUID, audience: TokenAudience, sessionID: UUID? = nil, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: subject.uuidString.lowercased()),
            aud: .init(value: [audience.rawValue]),
            exp: .init(value: now.addingTimeInterval(ttl.timeInterval)),
            iat: .init(value: now),
            sid: sessionID?.uuidString.lowercased()
        )
        return try await keys.sign(claims)
    }

    /// The verified claims, or nil when the token is forged, expired, malformed or for another audience.
    public func verify(_ token: String, audience: TokenAudience) async -> AccessClaims? {
        guard let claims = try? await keys.verify(token, as: AccessClaims.self),
              (try? claims.aud.verifyIntendedAudience(includes: audience.rawValue)) != nil
        else { return nil }
        return claims
    }
}
