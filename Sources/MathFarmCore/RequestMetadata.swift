import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What the API records about who sent a request: bearer token, client address, user agent.
public struct RequestMetadata: Sendable {
    public var clientIP: String?
    public var userAgent: String?

    public init(clientIP: String?, userAgent: String?) {
        self.clientIP = clientIP
        self.userAgent = userAgent
    }

    /// `X-Forwarded-For`'s first hop is used only when the deployment says a trusted proxy sits in
    /// front (`MATHFARM_TRUST_PROXY`); otherwise a client could pick its own rate-limit bucket.
    public init(request: Request, context: AppRequestContext, trustProxy: Bool) {
        var ip = context.peerAddress
        if trustProxy, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let first, !first.isEmpty, first.count <= 45 { ip = first }
        }
        self.clientIP = ip
        self.userAgent = request.headers[.userAgent].map { String($0.prefix(512)) }
    }

    /// The bearer token of the Authorization header, if any.
    public static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty || token.count > 4096 ? nil : token
    }
}

extension RequestMetadata {
    /// The client IP if it parses as an IPv4/IPv6 address (safe to cast to `inet`).
    public var validClientIP: String? {
        guard let ip = clientIP, (try? SocketAddress(ipAddress: ip, port: 0)) != nil else { return nil }
        return ip
    }
}
