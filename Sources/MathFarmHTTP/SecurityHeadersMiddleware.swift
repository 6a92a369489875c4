import HTTPTypes
import Hummingbird
import MathFarmCore

/// Security headers on every response, errors included (it runs outside the error middleware):
/// `nosniff`, no referrer, no framing, HSTS when the public URL is https, and `no-store` on
/// anything that carries credentials or money.
///
/// JSON and text responses also get `Content-Security-Policy: default-src 'none';
/// frame-ancestors 'none'` (nothing in them is meant to run); an HTML page keeps the policy its
/// handler set (the website sets its own), else gets the same `frame-ancestors`.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// One year, with subdomains: what the HSTS preload list asks for.
    static let strictTransportSecurity = "max-age=31536000; includeSubDomains"
    static let cacheablePrefixes = ["/api/v1/content/", "/api/v1/problems", "/api/v1/settings/public", "/api/v1/payment-methods", "/openapi."]

    let strictTransport: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.apply(to: &response.headers, request: request, strictTransport: strictTransport)
        return response
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let openerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!

    static func apply(to headers: inout HTTPFields, request: Request, strictTransport: Bool) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[referrerPolicy] = "no-referrer"
        headers[frameOptions] = "DENY"
        headers[openerPolicy] = "same-origin"
        if strictTransport { headers[.strictTransportSecurity] = strictTransportSecurity }
        let isHTML = headers[.contentType]?.lowercased().hasPrefix("text/html") == true
        if headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] = isHTML ? "frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'"
        }
        // A request with credentials is never stored by a cache, whatever the handler said;
        // otherwise the handler's choice stands, public reads revalidate (ETags), the rest is
        // not stored.
        let credentialed = request.headers[.authorization] != nil || request.headers[.cookie] != nil
        let path = request.uri.path
        if credentialed {
            headers[.cacheControl] = "no-store"
        } else if headers[.cacheControl] == nil {
            let publicRead = (request.method == .get || request.method == .head) && cacheablePrefixes.contains { path.hasPrefix($0) }
            headers[.cacheControl] = publicRead ? "no-cache" : "no-store"
        }
    }
}
