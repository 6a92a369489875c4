import Foundation
import MathFarmCore

/// A customer as the API shows it.
public struct UserProfile: Codable, Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var fullName: String
    public var phone: String?
    public var role: String
    public var isActive: Bool
    public var isVerified: Bool
    public var lastLogin: Date?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, phone, role
        case fullName = "full_name"
        case isActive = "is_active"
        case isVerified = "is_verified"
        case lastLogin = "last_login"
        case createdAt = "created_at"
    }
}

/// An authenticated customer, resolved from a valid access token and a live session.
public struct CustomerPrincipal: Sendable, Equatable {
    public var userID: UUID
    public var sessionID: UUID
    public var role: String
    public var permissions: [String: Bool]
}

/// The tokens handed out at register, login and refresh.
public struct TokenPair: Codable, Sendable {
    public var accessToken: String
    public var refreshToken: String
    public var tokenType: String = "Bearer"
    public var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}

public struct AuthResult: Codable, Sendable {
    public var user: UserProfile
    public var tokens: TokenPair

    public init(user: UserProfile, tokens: TokenPair) {
        self.user = user
        self.tokens = tokens
    }

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(tokens.accessToken, forKey: .accessToken)
        try container.encode(tokens.refreshToken, forKey: .refreshToken)
        try container.encode(tokens.tokenType, forKey: .tokenType)
        try container.encode(tokens.expiresIn, forKey: .expiresIn)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try container.decode(UserProfile.self, forKey: .user)
        tokens = TokenPair(
            accessToken: try container.decode(String.self, forKey: .accessToken),
            refreshToken: try container.decode(String.self, forKey: .refreshToken),
            tokenType: try container.decode(String.self, forKey: .tokenType),
            expiresIn: try container.decode(Int.self, forKey: .expiresIn)
        )
    }
}

/// Client facts stored with a session.
public struct DeviceContext: Sendable {
    public var ip: String?
    public var userAgent: String?
    public var deviceName: String?

    public init(ip: String?, userAgent: String?, deviceName: String? = nil) {
        self.ip = ip
        self.userAgent = userAgent
        self.deviceName = deviceName
    }
}
