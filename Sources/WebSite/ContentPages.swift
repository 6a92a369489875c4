import ContentService
import Foundation
import Hummingbird
import MathFarmCore
import MathSolvers
import SolverService

/// The public pages: home, prices, guides (the content service's pages, with their SEO
/// fields), FAQs, the quick-solve redirect, `sitemap.xml` and `robots.txt`.
struct ContentPages: Sendable {
    let catalog: ProblemCatalog
    let content: ContentStore
    let views: ViewCounter
    let renderer: PageRenderer
    let configuration: WebConfiguration

    struct ProblemCard: Sendable {
        let code: String
        /// Preselected in the quick-solve box.
        let selected: Bool
        let name: String
        let description: String
        let price: String
        let premiumPrice: String
        let timeout: String
        let href: String
    }

    struct GuideLink: Sendable {
        let title: String
        let excerpt: String?
        let href: String
    }

    struct Home: Sendable {
        let problems: [ProblemCard]
        let guides: [GuideLink]
        let hasGuides: Bool
        let quickSolveAction: String
    }

    struct Pricing: Sendable {
        let problems: [ProblemCard]
    }

    struct Guides: Sendable {
        let guides: [GuideLink]
        let hasGuides: Bool
    }

    struct Guide: Sendable {
        let title: String
        let excerpt: String?
        let paragraphs: [String]
        let published: String?
        let publishedISO: String?
        let untranslated: Bool
    }

    struct FAQItem: Sendable {
        let question: String
        let paragraphs: [String]
        let open: Bool
    }

    struct FAQs: Sendable {
        let faqs: [FAQItem]
        let hasFaqs: Bool
    }

    func register(on pages: PageRoutes, router: Router<AppRequestContext>) {
        pages.get(.home) { request, context, visitor in
            let language = visitor.language
            let problems = try await cards(language)
            let guides = try await guideLinks(language, limit: 6)
            var spec = PageSpec(template: "home", page: .home, title: UIText.text("siteTitle", language))
            spec.description = UIText.text("homeDescription", language)
            let home = Home(problems: problems, guides: guides, hasGuides: !guides.isEmpty, quickSolveAction: SitePage.quickSolve.path(language))
            return try await renderer.render(spec, content: home, visitor: visitor, request: request, context: context)
        }
        pages.get(.quickSolve) { request, context, visitor in
            // The home page's quick-solve box: on to the problem's page, input prefilled.
            let query = try FormFields.query(request)
            let code = query["problem"].map { String($0.prefix(64)) } ?? catalog.registry.productEntries.first?.code ?? ""
            guard let problem = try await catalog.problem(code: code), problem.isActive, let form = ProblemForm(problem: problem, registry: catalog.registry) else {
                throw APIError.notFound("problem")
            }
            var target = SitePage.problem(code).path(visitor.language)
            if let typed = query["q"]?.trimmingCharacters(in: .whitespacesAndNewlines), !typed.isEmpty, let field = form.fields.first {
                target += "?" + field.name + "=" + (String(typed.prefix(2000)).addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? "")
            }
            return HTMLResponse.redirect(to: target, context: context)
        }
        pages.get(.pricing) { request, context, visitor in
            let language = visitor.language
            var spec = PageSpec(template: "pricing", page: .pricing, title: UIText.text("pricingTitle", language) + " · MathFarm")
            spec.description = UIText.text("pricingDescription", language)
            return try await renderer.render(spec, content: Pricing(problems: try await cards(language)), visitor: visitor, request: request, context: context)
        }
        pages.get(.guides) { request, context, visitor in
            let language = visitor.language
            let guides = try await guideLinks(language, limit: 100)
            var spec = PageSpec(template: "guides", page: .guides, title: UIText.text("guidesTitle", language) + " · MathFarm")
            spec.description = UIText.text("guidesDescription", language)
            return try await renderer.render(spec, content: Guides(guides: guides, hasGuides: !guides.isEmpty), visitor: visitor, request: request, context: context)
        }
        pages.get(.guide) { request, context, visitor in
            let language = visitor.language
            guard let slug = context.parameters.get("slug"), slug.count <= 100,
                  let page = try await content.publishedPage(slug: slug, language: language) else { throw APIError.notFound("page") }
            await views.countPage(page.id)
            var spec = PageSpec(template: "guide", page: .guide(page.slug), title: (page.metaTitle ?? page.title) + " · MathFarm")
            spec.description = page.metaDescription ?? page.excerpt
            spec.ogType = "article"
            spec.ogImage = page.featuredImageURL.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil }
            let guide = Guide(
                title: page.title, excerpt: page.excerpt, paragraphs: Self.paragraphs(page.content),
                published: page.publishedAt.map { Formatting.dateTime($0, language) }, publishedISO: page.publishedAt.map(Formatting.iso8601),
                untranslated: page.language != language.rawValue
            )
            return try await renderer.render(spec, content: guide, visitor: visitor, request: request, context: context)
        }
        pages.get(.faq) { request, context, visitor in
            let language = visitor.language
            let faqs = try await content.faqs(categoryID: nil, featured: nil, tag: nil, language: language, limit: 100, offset: 0)
            for faq in faqs { await views.countFAQ(faq.id) }
            let items = faqs.enumerated().map { FAQItem(question: $1.question, paragraphs: Self.paragraphs($1.answer), open: $0 == 0) }
            var spec = PageSpec(template: "faq", page: .faq, title: UIText.text("faqTitle", language) + " · MathFarm")
            spec.description = UIText.text("faqDescription", language)
            return try await renderer.render(spec, content: FAQs(faqs: items, hasFaqs: !items.isEmpty), visitor: visitor, request: request, context: context)
        }
        router.get("sitemap.xml") { _, _ in
            try await sitemap()
        }
        router.get("robots.txt") { _, _ in
            robots()
        }
    }

    /// A catalog text stored as "Vietnamese / English" in one column.
    static func localized(_ text: String, _ language: Language) -> String {
        let parts = text.components(separatedBy: " / ")
        guard parts.count == 2 else { return text }
        return language == .vi ? parts[0] : parts[1]
    }

    static func paragraphs(_ text: String) -> [String] {
        text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func cards(_ language: Language) async throws -> [ProblemCard] {
        try await catalog.problems().filter { ProblemForm(problem: $0, registry: catalog.registry) != nil }.map { problem in
            ProblemCard(
                code: problem.code, selected: problem.code == catalog.registry.productEntries.first?.code, name: Self.localized(problem.name, language),
                description: Self.localized(problem.description ?? "", language),
                price: Formatting.money(problem.price, language), premiumPrice: Formatting.money(problem.premiumPrice, language),
                timeout: UIText.text("seconds", language).replacingOccurrences(of: "%d", with: String(problem.timeoutSeconds)),
                href: SitePage.problem(problem.code).path(language)
            )
        }
    }

    /// Published pages of every active category, newest first.
    func guidePages(_ language: Language, limit: Int) async throws -> [ContentPage] {
        func flatten(_ categories: [ContentCategory]) -> [ContentCategory] {
            categories.flatMap { [$0] + flatten($0.children) }
        }
        var pages: [ContentPage] = []
        for category in flatten(try await content.categoryTree(language: language)) where pages.count < limit {
            pages += try await content.publishedPages(categoryID: category.id, language: language, limit: limit - pages.count, offset: 0)
        }
        return pages.sorted { ($0.publishedAt ?? .distantPast) > ($1.publishedAt ?? .distantPast) }
    }

    func guideLinks(_ language: Language, limit: Int) async throws -> [GuideLink] {
        try await guidePages(language, limit: limit).map {
            GuideLink(title: $0.title, excerpt: $0.excerpt, href: SitePage.guide($0.slug).path(language))
        }
    }

    /// Every public page in both languages, each with its `hreflang` alternates.
    func sitemap() async throws -> Response {
        var pages: [SitePage] = [.home, .pricing, .guides, .faq, .register, .login]
        pages += try await catalog.problems().filter { ProblemForm(problem: $0, registry: catalog.registry) != nil }.map { SitePage.problem($0.code) }
        pages += try await guidePages(.vi, limit: 1000).map { SitePage.guide($0.slug) }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">"# + "\n"
        for page in pages {
            for language in Language.allCases {
                xml += "<url><loc>\(Self.xmlEscape(configuration.publicURL + page.path(language)))</loc>"
                for alternate in Language.allCases {
                    xml += #"<xhtml:link rel="alternate" hreflang="\#(alternate.rawValue)" href="\#(Self.xmlEscape(configuration.publicURL + page.path(alternate)))"/>"#
                }
                xml += "</url>\n"
            }
        }
        xml += "</urlset>\n"
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    func robots() -> Response {
        var lines = ["User-agent: *"]
        let privateKinds: [SitePage.Kind] = [.account, .history, .wallet, .topUp, .logout, .solution]
        for kind in privateKinds {
            for language in Language.allCases {
                let path = SitePage.pattern(kind, language)
                lines.append("Disallow: " + (path.split(separator: ":").first.map(String.init) ?? path))
            }
        }
        lines.append("Disallow: /api/")
        lines.append("Sitemap: \(configuration.publicURL)/sitemap.xml")
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n"))
        )
    }

    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
