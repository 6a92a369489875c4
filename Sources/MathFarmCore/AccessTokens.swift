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
    public var iss: IssuerClaim?
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
///
/// Verification trusts nothing in the token's header: the header must name exactly the one
/// algorithm the server signs with (`HS256`; `none`, `HS512`, `RS256`… are refused whatever the
/// signature), carry no `kid`, `jku`, `jwk`, `x5u` or `crit`, and the claims must name this
/// issuer and exactly one audience, the expected one (a customer token is not a staff token).
public struct AccessTokenService: Sendable {
    let keys: JWTKeyCollection
    public let ttl: Duration

    public static let issuer = "mathfarm"
    public static let algorithm = "HS256"

    public init(secret: String, ttl: Duration) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.ttl = ttl
    }

    public func issue(subject: UUID, audience: TokenAudience, sessionID: UUID? = nil, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            iss: .init(value: Self.issuer),
            sub: .init(value: subject.uuidString.lowercased()),
            aud: .init(value: [audience.rawValue]),
            exp: .init(value: now.addingTimeInterval(ttl.timeInterval)),
            iat: .init(value: now),
            sid: sessionID?.uuidString.lowercased()
        )
        return try await keys.sign(claims)
    }

    /// The verified claims, or nil when the token is forged, expired, malformed, signed with
    /// another algorithm, from another issuer or for another audience.
    public func verify(_ token: String, audience: TokenAudience) async -> AccessClaims? {
        guard token.utf8.count <= 4096, Self.headerIsAcceptable(token),
              let claims = try? await keys.verify(token, as: AccessClaims.self),
              claims.iss?.value == Self.issuer,
              claims.aud.value == [audience.rawValue]
        else { return nil }
        return claims
    }

    /// The JOSE header names HS256 and nothing that would pick another key or algorithm.
    static func headerIsAcceptable(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = base64URLDecode(parts[0]),
              let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              header["alg"] as? String == algorithm
        else { return false }
        let allowed: Set<String> = ["alg", "typ"]
        guard Set(header.keys).isSubset(of: allowed) else { return false }
        if let type = header["typ"] { return (type as? String)?.uppercased() == "JWT" }
        return true
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
