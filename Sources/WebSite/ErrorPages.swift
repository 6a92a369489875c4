import Foundation
import Hummingbird
import Logging
import MathFarmCore
import NIOCore

/// Friendly error pages for page paths, in the path's language: 404, 403 (a form the site did
/// not issue), 503 (maintenance), 429, and a 500 that leaks nothing. Requests to the JSON API,
/// the probes and the static files pass through untouched, keeping their JSON errors.
public struct ErrorPages: RouterMiddleware {
    public typealias Context = AppRequestContext

    let renderer: PageRenderer
    let gate: VisitorGate
    let logger: Logger

    struct Content: Sendable {
        let code: Int
        let title: String
        let message: String
        let detail: String?
        let retryHref: String?
    }

    /// The JSON API, the probes, the OpenAPI document and the site's machine-read files answer
    /// errors in their own format; everything else is a page.
    static let nonPagePaths: Set<String> = ["/api", "/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi.yaml", "/sitemap.xml", "/robots.txt"]

    static func isPagePath(_ path: String) -> Bool {
        !(path.hasPrefix("/api/") || path.hasPrefix("/static/") || nonPagePaths.contains(path))
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            guard Self.isPagePath(request.uri.path) else { throw error }
            return try await page(for: error, request: request, context: context)
        }
    }

    func page(for error: Error, request: Request, context: Context) async throws -> Response {
        let language = SitePage.language(ofPath: request.uri.path)
        let status: HTTPResponse.Status
        var detail: String?
        var retry: String?
        switch error {
        case WebRejection.signInRequired(let returnTo):
            let login = SitePage.login.path(language) + "?next=" + (returnTo.addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? "")
            return HTMLResponse.redirect(to: login, context: context)
        case WebRejection.forgedForm:
            status = .forbidden
            retry = request.uri.path
        case let apiError as APIError:
            status = apiError.status
            if status.code < 500, status != .notFound { detail = apiError.message.text(in: language) }
        case let httpError as HTTPError:
            status = httpError.status == .methodNotAllowed ? .notFound : httpError.status
        case is NIOTooManyBytesError:
            status = .contentTooLarge
        default:
            status = .internalServerError
        }
        if status.code >= 500, status != .serviceUnavailable {
            logger.error("page failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))", "request_id": "\(context.requestID)"])
        }
        let keys: (String, String)
        switch status.code {
        case 404: keys = ("error404Title", "error404Message")
        case 403: keys = ("error403Title", "error403Message")
        case 503: keys = ("error503Title", "error503Message")
        case 429: keys = ("error429Title", "errorTitle")
        case 500...: keys = ("error500Title", "error500Message")
        default: keys = ("errorTitle", "error404Message")
        }
        var message = UIText.text(keys.1, language)
        if status.code == 429 || (400..<500).contains(status.code) && ![403, 404].contains(status.code), let text = detail {
            message = text
            detail = nil
        }
        // The header shows who is signed in; if the failure was the database itself, render
        // the page for an anonymous visitor rather than fail again.
        let visitor = (try? await gate.visitor(request, language: language))
            ?? Visitor(language: language, session: nil, formNonce: nil, cookies: [], forms: gate.forms)
        let content = Content(code: Int(status.code), title: UIText.text(keys.0, language), message: message, detail: detail, retryHref: retry)
        var spec = PageSpec(template: "error", page: .home, title: UIText.text(keys.0, language) + " · MathFarm")
        spec.status = status
        spec.indexable = false
        do {
            return try await renderer.render(spec, content: content, visitor: visitor, request: request, context: context)
        } catch {
            logger.error("error page failed", metadata: ["error": "\(String(reflecting: error))"])
            return Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: content.title)))
        }
    }
}
