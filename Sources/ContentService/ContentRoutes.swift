import Crypto
import Foundation
import Hummingbird
import MathFarmCore

/// Public content endpoints under `/api/v1/content`: published pages and active categories
/// only, in the request's language (`?lang=` or `Accept-Language`, falling back to the original),
/// with `ETag` and `If-None-Match` → 304.
public struct ContentRoutes: Sendable {
    let store: ContentStore
    let views: ViewCounter

    public init(store: ContentStore, views: ViewCounter) {
        self.store = store
        self.views = views
    }

    struct CategoryList: Encodable { let categories: [Category] }
    struct PageList: Encodable { let pages: [Page]; let limit: Int; let offset: Int }
    struct FAQList: Encodable { let faqs: [FAQ] }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("content/categories") { request, context in
            try Self.cached(request, CategoryList(categories: try await store.categoryTree(language: context.language)), language: context.language)
        }
        api.get("content/pages/:slug") { request, context in
            guard let slug = context.parameters.get("slug"), let page = try await store.publishedPage(slug: slug, language: context.language) else {
                throw APIError.notFound("page")
            }
            await views.countPage(page.id)
            return try Self.cached(request, page, language: context.language)
        }
        api.get("content/categories/:slug/pages") { request, context in
            guard let slug = context.parameters.get("slug"), let category = try await store.categoryID(slug: slug) else { throw APIError.notFound("category") }
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let pages = try await store.publishedPages(categoryID: category, language: context.language, limit: limit, offset: offset)
            return try Self.cached(request, PageList(pages: pages, limit: limit, offset: offset), language: context.language)
        }
        api.get("content/faqs") { request, context in
            let query = request.uri.queryParameters
            var category: UUID?
            if let slug = query.get("category") {
                guard let id = try await store.categoryID(slug: slug) else { throw APIError.notFound("category") }
                category = id
            }
            let featured = query.get("featured").map { $0 == "true" || $0 == "1" }
            let tag = query.get("tag").map { String($0.prefix(50)) }
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let faqs = try await store.faqs(categoryID: category, featured: featured, tag: tag, language: context.language, limit: limit, offset: offset)
            for faq in faqs { await views.countFAQ(faq.id) }
            return try Self.cached(request, FAQList(faqs: faqs), language: context.language)
        }
    }

    /// The JSON body with a strong ETag over its bytes (and the language); 304 when the client
    /// already has it.
    static func cached(_ request: Request, _ value: some Encodable, language: Language) throws -> Response {
        let body = try JSONBody.encode(value)
        let digest = SHA256.hash(data: body + Data(language.rawValue.utf8))
        let tag = "\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        var headers: HTTPFields = [:]
        headers[.eTag] = tag
        headers[.vary] = "Accept-Language"
        headers[.cacheControl] = "public, max-age=60"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        return JSONBody.rawResponse(body, status: .ok, headers: headers)
    }
}
