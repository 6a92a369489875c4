import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import MathFarmCore
import NIOCore

/// How HTML leaves the server: the page's Content-Security-Policy (only the site's own scripts,
/// styles, images and fonts; no inline script or style, no framing), caching by who may see
/// the page, gzip when the browser takes it, and the server time in `Server-Timing`.
enum HTMLResponse {
    /// KaTeX sets its inline sizes through the CSSOM, which `style-src 'self'` allows; nothing
    /// of ours uses inline styles or scripts. `form-action` is left out on purpose: the top-up
    /// form answers with a redirect to the payment gateway, whose host (MoMo's and ZaloPay's
    /// pay pages) is only known from the gateway's answer.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"

    enum Caching: Sendable {
        /// Personal pages (and any page rendered for a signed-in visitor or carrying a form
        /// token): never stored by the browser or a proxy.
        case noStore
        /// Public pages: may be kept but must be revalidated.
        case revalidate
    }

    static let serverTiming = HTTPField.Name("Server-Timing")!

    static func page(
        _ html: String, status: HTTPResponse.Status = .ok, caching: Caching, cookies: [Cookie] = [],
        request: Request, context: AppRequestContext
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = caching == .noStore ? "no-store" : "no-cache"
        headers[.vary] = "Cookie, Accept-Encoding"
        var body = ByteBuffer(string: html)
        if body.readableBytes > 1024, acceptsGzip(request), let packed = gzip(body) {
            headers[.contentEncoding] = "gzip"
            body = packed
        }
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie.description)) }
        headers[serverTiming] = timing(context)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// 303 See Other: after a form post, the browser follows with a GET.
    static func redirect(to location: String, cookies: [Cookie] = [], context: AppRequestContext) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie.description)) }
        headers[serverTiming] = timing(context)
        return Response(status: .seeOther, headers: headers)
    }

    /// A small JSON answer for the pages' own scripts (status polling), never cached.
    static func json(_ value: some Encodable, context: AppRequestContext) throws -> Response {
        var response = try JSONBody.response(value, headers: [.cacheControl: "no-store"])
        response.headers[serverTiming] = timing(context)
        return response
    }

    static func timing(_ context: AppRequestContext) -> String {
        "app;dur=" + milliseconds(ContinuousClock.now - context.receivedAt)
    }

    /// "12.345": milliseconds with microsecond digits, as Server-Timing wants them.
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return "\(microseconds / 1000)." + String(format: "%03d", Int(microseconds % 1000))
    }

    static func acceptsGzip(_ request: Request) -> Bool {
        guard let accepted = request.headers[.acceptEncoding]?.lowercased() else { return false }
        return accepted.split(separator: ",").contains { part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return pieces.first == "gzip" && !pieces.dropFirst().contains("q=0")
        }
    }

    /// The gzip form of `buffer`, if it is smaller.
    static func gzip(_ buffer: ByteBuffer) -> ByteBuffer? {
        var source = buffer
        guard let packed = try? source.compress(with: .gzip()), packed.readableBytes < buffer.readableBytes else { return nil }
        return packed
    }
}
