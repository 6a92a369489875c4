import Foundation
import Hummingbird
import MathFarmCore

/// HTTP endpoints of the user service: `/api/v1/auth/*` and `/api/v1/me`.
public struct UserRoutes: Sendable {
    let auth: CustomerAuth
    let trustProxy: Bool

    public init(auth: CustomerAuth, trustProxy: Bool) {
        self.auth = auth
        self.trustProxy = trustProxy
    }

    struct RegisterBody: Decodable {
        let email: String
        let password: String
        let fullName: String
        let phone: String?
        let deviceName: String?

        enum CodingKeys: String, CodingKey {
            case email, password, phone
            case fullName = "full_name"
            case deviceName = "device_name"
        }
    }

    struct LoginBody: Decodable {
        let email: String
        let password: String
        let deviceName: String?

        enum CodingKeys: String, CodingKey {
            case email, password
            case deviceName = "device_name"
        }
    }

    struct RefreshBody: Decodable {
        let refreshToken: String

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.post("auth/register") { request, context in
            let body = try await JSONBody.decode(RegisterBody.self, from: request)
            let result = try await auth.register(
                .init(email: body.email, password: body.password, fullName: body.fullName, phone: body.phone),
                device: device(request, context, name: body.deviceName)
            )
            return try JSONBody.response(result, status: .created)
        }
        api.post("auth/login") { request, context in
            let body = try await JSONBody.decode(LoginBody.self, from: request)
            let result = try await auth.login(email: body.email, password: body.password, device: device(request, context, name: body.deviceName))
            return try JSONBody.response(result)
        }
        api.post("auth/refresh") { request, _ in
            let body = try await JSONBody.decode(RefreshBody.self, from: request)
            return try JSONBody.response(try await auth.refresh(token: body.refreshToken, userAgent: request.headers[.userAgent]))
        }
        api.post("auth/logout") { request, _ in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            try await auth.logout(principal)
            return Response(status: .noContent)
        }
        api.get("me") { request, _ in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            guard let profile = try await auth.profile(principal.userID) else { throw APIError.unauthorized }
            return try JSONBody.response(profile)
        }
    }

    private func device(_ request: Request, _ context: AppRequestContext, name: String?) -> DeviceContext {
        let metadata = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
        return DeviceContext(ip: metadata.validClientIP, userAgent: metadata.userAgent, deviceName: name.map { String($0.prefix(100)) })
    }
}
