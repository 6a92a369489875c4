import Crypto
import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import Testing

/// Hand-made JWTs: any header, any claims, an HMAC of the chosen size over them.
enum HandMadeJWT {
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func token(header: [String: Any], claims: [String: Any], secret: String, sha512: Bool = false) throws -> String {
        let input = base64URL(try JSONSerialization.data(withJSONObject: header)) + "." + base64URL(try JSONSerialization.data(withJSONObject: claims))
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = sha512
            ? Data(HMAC<SHA512>.authenticationCode(for: Data(input.utf8), using: key))
            : Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key))
        return input + "." + base64URL(mac)
    }

    static func claims(subject: UUID, audience: [String], session: UUID? = nil, issuer: String? = "mathfarm") -> [String: Any] {
        let now = Date().timeIntervalSince1970
        var claims: [String: Any] = ["sub": subject.uuidString.lowercased(), "aud": audience, "exp": now + 600, "iat": now]
        if let issuer { claims["iss"] = issuer }
        if let session { claims["sid"] = session.uuidString.lowercased() }
        return claims
    }
}

/// Issue 12 §1: only the algorithm the server signs with, the right issuer and exactly the right
/// audience are accepted; a token minted with the repository's development secret opens nothing
/// on a production server.
@Suite("Access tokens")
struct AccessTokenTests {
    let secret = randomSecret()

    @Test func onlyHS256FromThisIssuerForExactlyThisAudience() async throws {
        let service = await AccessTokenService(secret: secret, ttl: .seconds(600))
        let user = UUID()
        let genuine = try await service.issue(subject: user, audience: .staff)
        #expect(await service.verify(genuine, audience: .staff) != nil)
        #expect(await service.verify(genuine, audience: .customer) == nil)

        let claims = HandMadeJWT.claims(subject: user, audience: ["mathfarm-admin"])
        // The header names another algorithm, the signature is a valid HS256 one: refused.
        for alg in ["none", "HS512", "HS384", "RS256", "hs256"] {
            let swapped = try HandMadeJWT.token(header: ["alg": alg, "typ": "JWT"], claims: claims, secret: secret)
            #expect(await service.verify(swapped, audience: .staff) == nil, "alg \(alg) accepted")
        }
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS512", "typ": "JWT"], claims: claims, secret: secret, sha512: true), audience: .staff) == nil)
        // `alg: none` with no signature at all.
        let unsigned = HandMadeJWT.base64URL(try JSONSerialization.data(withJSONObject: ["alg": "none"])) + "."
            + HandMadeJWT.base64URL(try JSONSerialization.data(withJSONObject: claims)) + "."
        #expect(await service.verify(unsigned, audience: .staff) == nil)
        // A key id or an embedded key would pick another key: refused.
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS256", "kid": "other"], claims: claims, secret: secret), audience: .staff) == nil)
        // Both audiences at once (a token that could stand in for either) and no issuer: refused.
        let both = HandMadeJWT.claims(subject: user, audience: ["mathfarm-api", "mathfarm-admin"], session: UUID())
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS256", "typ": "JWT"], claims: both, secret: secret), audience: .staff) == nil)
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS256", "typ": "JWT"], claims: both, secret: secret), audience: .customer) == nil)
        let anonymous = HandMadeJWT.claims(subject: user, audience: ["mathfarm-admin"], issuer: nil)
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS256", "typ": "JWT"], claims: anonymous, secret: secret), audience: .staff) == nil)
        // The same hand-made token, correctly formed, is accepted: the refusals above are about the header and claims.
        #expect(await service.verify(try HandMadeJWT.token(header: ["alg": "HS256", "typ": "JWT"], claims: claims, secret: secret), audience: .staff) != nil)
    }

    /// A production API (real secrets from the environment): a super-admin token minted with the
    /// development secret written in the repository, for a real staff id, is 401; so is a
    /// header-swapped token signed with the real secret.
    @Test func forgedTokensAreRefusedByAProductionAPI() async throws {
        let production = ["MATHFARM_ENV": "production", "MATHFARM_JWT_SECRET": secret, "MATHFARM_SETTINGS_KEY": randomSettingsKey()]
        let secret = self.secret
        try await withAPI(production) { client, services in
            try await makeStaff(services, username: "owner", superAdmin: true)
            let rows = try await services.pools[.admin].query("SELECT id FROM admin_users WHERE username = 'owner'").collectRows()
            let ownerID = try #require(try rows.first?.decode(UUID.self))
            let claims = HandMadeJWT.claims(subject: ownerID, audience: ["mathfarm-admin"])
            let forged = try HandMadeJWT.token(header: ["alg": "HS256", "typ": "JWT"], claims: claims, secret: RepositorySecrets.developmentJWTSecret)
            #expect(try await client.send(.get, "/api/v1/admin/staff", token: forged).status == 401)
            let swapped = try HandMadeJWT.token(header: ["alg": "none", "typ": "JWT"], claims: claims, secret: secret)
            #expect(try await client.send(.get, "/api/v1/admin/staff", token: swapped).status == 401)
            // The genuine login still works.
            let genuine = try await staffToken(client, "owner")
            #expect(try await client.send(.get, "/api/v1/admin/staff", token: genuine).status == 200)
            // And the customer side: a staff token is not a customer token.
            #expect(try await client.send(.get, "/api/v1/me", token: genuine).status == 401)
        }
    }
}
