import Foundation
import Hummingbird
import MathFarmCore
import Mustache

/// What every page's layout needs: language, title and SEO fields, links, the signed-in
/// customer, the form token. Templates read it as `{{frame.…}}`.
struct Frame: Sendable {
    struct Alternate: Sendable {
        let hreflang: String
        let href: String
    }

    struct User: Sendable {
        let name: String
        let balance: String
    }

    struct Assets: Sendable {
        let css: String
        let js: String
        let katexCSS: String
        let katexJS: String
        let icon: String
    }

    let lang: String
    let title: String
    let description: String?
    let canonical: String?
    let alternates: [Alternate]
    let noindex: Bool
    let ogType: String
    let ogLocale: String
    let ogImage: String?
    let assets: Assets
    let math: Bool
    let refreshSeconds: Int?
    let user: User?
    let csrf: String
    let switchURL: String
    let switchLang: String
    let switchLabel: String
    let maintenance: String?
}

/// The header's links in one language (`{{nav.…}}`).
struct Nav: Sendable {
    let home, pricing, guides, faq, history, wallet, account, logout, login, register, topUp: String

    init(_ language: Language, returnTo: String?) {
        home = SitePage.home.path(language)
        pricing = SitePage.pricing.path(language)
        guides = SitePage.guides.path(language)
        faq = SitePage.faq.path(language)
        history = SitePage.history.path(language)
        wallet = SitePage.wallet.path(language)
        account = SitePage.account.path(language)
        logout = SitePage.logout.path(language)
        register = SitePage.register.path(language)
        topUp = SitePage.topUp.path(language)
        let login = SitePage.login.path(language)
        self.login = returnTo.map { login + "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: SitePage.unreserved) ?? "") } ?? login
    }
}

/// The object a template renders: texts, frame, links and the page's own model.
struct PageView<Content> {
    let t: [String: String]
    let frame: Frame
    let nav: Nav
    let page: Content
}

/// Describes one page for the layout: which template, its title and SEO fields, whether it is
/// private (no-store, noindex) and shows math (KaTeX loaded only then).
struct PageSpec: Sendable {
    var template: String
    var page: SitePage
    var title: String
    var description: String?
    var status: HTTPResponse.Status = .ok
    var math = false
    var refreshSeconds: Int?
    var ogType = "website"
    var ogImage: String?
    /// The query string kept on the canonical URL and the language switch (e.g. a prefilled
    /// problem); nil for none.
    var query: String?
    var indexable = true
    /// The page carries a form (and so a form token): never stored, whoever asks.
    var hasForm = false
}

/// Renders templates into responses with the site's frame and headers.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let assets: StaticAssets
    let configuration: WebConfiguration
    let settings: SettingsCache

    init(assets: StaticAssets, configuration: WebConfiguration, settings: SettingsCache) async throws {
        guard let directory = Self.templatesDirectory else {
            throw WebSiteError.missingResources("Templates")
        }
        library = try await MustacheLibrary(directory: directory.path)
        self.assets = assets
        self.configuration = configuration
        self.settings = settings
    }

    /// The module's `Templates` resource folder.
    static var templatesDirectory: URL? { Bundle.module.url(forResource: "Templates", withExtension: nil) }

    func render<Content>(
        _ spec: PageSpec, content: Content, visitor: Visitor, extraCookies: [Cookie] = [],
        request: Request, context: AppRequestContext
    ) async throws -> Response {
        let language = visitor.language
        let started = ContinuousClock.now
        let html = try await html(spec, content: content, visitor: visitor)
        let rendering = ContinuousClock.now - started
        // Anything personal, anything with a form token, anything that sets a cookie.
        let isPrivate = spec.page.isPrivate || visitor.isSignedIn || spec.hasForm || !(visitor.cookies + extraCookies).isEmpty
        var response = HTMLResponse.page(
            html, status: spec.status, caching: isPrivate ? .noStore : .revalidate,
            cookies: visitor.cookies + extraCookies, request: request, context: context
        )
        .withLanguage(language)
        // Where the time went: the whole handler (`app`) and the template alone (`render`).
        if let total = response.headers[HTMLResponse.serverTiming] {
            response.headers[HTMLResponse.serverTiming] = total + ", render;dur=" + HTMLResponse.milliseconds(rendering)
        }
        return response
    }

    func html<Content>(_ spec: PageSpec, content: Content, visitor: Visitor) async throws -> String {
        let language = visitor.language
        let other: Language = language == .vi ? .en : .vi
        let suffix = spec.query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        let here = spec.page.path(language) + suffix
        let indexable = spec.indexable && !spec.page.isPrivate && spec.status == .ok
        let frame = Frame(
            lang: language.rawValue,
            title: spec.title,
            description: spec.description,
            canonical: indexable ? configuration.publicURL + spec.page.path(language) : nil,
            alternates: indexable ? [
                .init(hreflang: "vi", href: configuration.publicURL + spec.page.path(.vi)),
                .init(hreflang: "en", href: configuration.publicURL + spec.page.path(.en)),
                .init(hreflang: "x-default", href: configuration.publicURL + spec.page.path(.vi)),
            ] : [],
            noindex: !indexable,
            ogType: spec.ogType,
            ogLocale: language == .vi ? "vi_VN" : "en_US",
            ogImage: spec.ogImage,
            assets: .init(
                css: assets.url(StaticAssets.appCSS), js: assets.url(StaticAssets.appJS),
                katexCSS: assets.url(StaticAssets.katexCSS), katexJS: assets.url(StaticAssets.katexJS), icon: assets.url(StaticAssets.icon)
            ),
            math: spec.math && assets.hasKaTeX,
            refreshSeconds: spec.refreshSeconds,
            user: visitor.session.map { .init(name: $0.fullName, balance: Formatting.money($0.balance, language)) },
            csrf: visitor.formToken(),
            switchURL: spec.page.path(other) + suffix,
            switchLang: other.rawValue,
            switchLabel: UIText.text("switchLabel", language),
            maintenance: await settings.bool("maintenance_mode") == true ? UIText.text("maintenance", language) : nil
        )
        let returnTo: String? = switch spec.page {
        case .login, .register, .logout: nil
        default: here
        }
        let view = PageView(t: UIText.table(language), frame: frame, nav: Nav(language, returnTo: returnTo), page: content)
        guard let html = library.render(view, withTemplate: spec.template) else { throw WebSiteError.templateMissing(spec.template) }
        return html
    }
}

extension Response {
    func withLanguage(_ language: Language) -> Response {
        var response = self
        response.headers[.contentLanguage] = language.rawValue
        return response
    }
}
