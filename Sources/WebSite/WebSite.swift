import ContentService
import Foundation
import Hummingbird
import Logging
import MathFarmCore
import MathSolvers
import PaymentService
import SolverService
import UserService

/// MathFarm in a browser: server-rendered pages in Vietnamese (canonical paths) and English
/// (under `/en`), one stylesheet, a little JavaScript, KaTeX from Debian, browser sessions with
/// form tokens, and the free `GET /api/v1/preview`. Pages call the same in-process services the
/// JSON routes call; the job pipeline only through `SolvePipeline`, the solver parsers only
/// through `ProblemPreview`.
public struct WebSite: Sendable {
    /// The services the pages use, passed in by the composition root.
    public struct Dependencies: Sendable {
        public var auth: CustomerAuth
        public var sessions: BrowserSessions
        public var solve: SolveService
        public var catalog: ProblemCatalog
        public var registry: SolverRegistry
        public var ledger: Ledger
        public var deposits: DepositService
        public var paymentMethods: PaymentMethods
        public var content: ContentStore
        public var contentViews: ViewCounter
        public var settings: SettingsCache
        public var trustProxy: Bool
        public var logger: Logger

        public init(
            auth: CustomerAuth, sessions: BrowserSessions, solve: SolveService, catalog: ProblemCatalog, registry: SolverRegistry,
            ledger: Ledger, deposits: DepositService, paymentMethods: PaymentMethods, content: ContentStore, contentViews: ViewCounter,
            settings: SettingsCache, trustProxy: Bool, logger: Logger
        ) {
            self.auth = auth
            self.sessions = sessions
            self.solve = solve
            self.catalog = catalog
            self.registry = registry
            self.ledger = ledger
            self.deposits = deposits
            self.paymentMethods = paymentMethods
            self.content = content
            self.contentViews = contentViews
            self.settings = settings
            self.trustProxy = trustProxy
            self.logger = logger
        }
    }

    let dependencies: Dependencies
    let configuration: WebConfiguration
    let assets: StaticAssets
    let renderer: PageRenderer
    let gate: VisitorGate

    /// Loads the templates and static files (a missing template is a start-up error, not a 500
    /// on some later request).
    public init(dependencies: Dependencies, configuration: WebConfiguration) async throws {
        self.dependencies = dependencies
        self.configuration = configuration
        assets = try StaticAssets(katexDirectory: configuration.katexDirectory, logger: dependencies.logger)
        renderer = try await PageRenderer(assets: assets, configuration: configuration, settings: dependencies.settings)
        gate = VisitorGate(
            sessions: dependencies.sessions,
            cookies: SiteCookies(secure: configuration.secureCookies, sessionTTL: configuration.sessionTTL),
            forms: FormTokens(key: configuration.formKey),
            configuration: configuration, trustProxy: dependencies.trustProxy
        )
    }

    /// Every page, the static files, `sitemap.xml`, `robots.txt` and `GET /api/v1/preview`.
    public func register(on router: Router<AppRequestContext>) {
        assets.register(on: router)
        PreviewRoute(catalog: dependencies.catalog, registry: dependencies.registry).register(on: router.group("api/v1"))
        let pages = PageRoutes(router: router, gate: gate)
        ContentPages(
            catalog: dependencies.catalog, content: dependencies.content, views: dependencies.contentViews,
            renderer: renderer, configuration: configuration
        ).register(on: pages, router: router)
        AccountPages(auth: dependencies.auth, gate: gate, renderer: renderer).register(on: pages)
        SolvePages(
            pipeline: SolvePipeline(service: dependencies.solve), catalog: dependencies.catalog, registry: dependencies.registry,
            ledger: dependencies.ledger, settings: dependencies.settings, renderer: renderer
        ).register(on: pages)
        WalletPages(
            ledger: dependencies.ledger, catalog: dependencies.catalog, deposits: dependencies.deposits, methods: dependencies.paymentMethods,
            settings: dependencies.settings, renderer: renderer, trustProxy: dependencies.trustProxy, cookies: gate.cookies
        ).register(on: pages)
    }

    /// Turns errors on page paths into HTML pages (404, 403 for a refused form, 503 during
    /// maintenance, a friendly 500); `/api/…` and the probes keep their JSON errors. Add it to
    /// the router after the JSON error middleware, so it runs first.
    public var errorPages: ErrorPages {
        ErrorPages(renderer: renderer, gate: gate, logger: dependencies.logger)
    }

    /// Where a browser returning from a payment gateway lands: the deposit's page, in the
    /// language the top-up was started in.
    public func depositReturnPath(_ deposit: Deposit, request: Request) -> String {
        let language = request.cookies[SiteCookies.languageName].flatMap { Language(rawValue: $0.value) } ?? .vi
        return SitePage.deposit(deposit.id).path(language)
    }
}

/// Registers page handlers for both languages; each handler gets the resolved visitor.
struct PageRoutes {
    typealias Handler = @Sendable (Request, AppRequestContext, Visitor) async throws -> Response

    let router: Router<AppRequestContext>
    let gate: VisitorGate

    func get(_ kind: SitePage.Kind, _ handler: @escaping Handler) {
        let gate = self.gate
        for language in Language.allCases {
            router.get(RouterPath(SitePage.pattern(kind, language))) { request, context in
                try await handler(request, context, try await gate.visitor(request, language: language))
            }
        }
    }

    /// The `:id` of the path, or 404 naming `what`.
    static func id(_ context: AppRequestContext, _ what: String) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound(what) }
        return id
    }

    /// A form post: the form token and origin are checked before `handler` runs.
    func post(_ kind: SitePage.Kind, _ handler: @escaping @Sendable (Request, AppRequestContext, Visitor, FormFields) async throws -> Response) {
        let gate = self.gate
        for language in Language.allCases {
            router.post(RouterPath(SitePage.pattern(kind, language))) { request, context in
                let visitor = try await gate.visitor(request, language: language)
                let form = try await FormFields.read(request, context: context)
                try gate.checkForm(form, visitor: visitor, request: request)
                return try await handler(request, context, visitor, form)
            }
        }
    }
}

/// What a waiting page's script polls: the job's or deposit's status, and whether it is final.
struct PollAnswer: Encodable {
    let status: String
    let terminal: Bool
}

extension Visitor {
    /// The signed-in customer, or a redirect to the login page that comes back to `page`.
    func requireSession(returnTo page: SitePage, query: String? = nil) throws -> BrowserSession {
        guard let session else {
            throw WebRejection.signInRequired(returnTo: page.path(language) + (query.map { "?" + $0 } ?? ""))
        }
        return session
    }
}
