import AdminService
import ContentService
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import MathFarmCore
import PaymentService
import ServiceLifecycle
import SolverService
import UserService
import WebSite

/// Builds the HTTP API of MathFarm and the background services that live in the API process.
public enum MathFarmApplication {
    /// All routes, behind the request-id and error middleware.
    public static func router(services: MathFarmServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        // Outermost, so error responses get the headers too.
        router.add(middleware: SecurityHeadersMiddleware(strictTransport: services.configuration.strictTransportSecurity))
        router.add(middleware: RequestIDMiddleware(defaultLanguage: services.configuration.defaultLanguage))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        // Inside the JSON error middleware: errors on page paths become HTML pages.
        router.add(middleware: services.webSite.errorPages)
        // Before any path-based rule: only canonical paths and clean query strings get further.
        router.add(middleware: RequestHygieneMiddleware())
        router.add(middleware: MaintenanceMiddleware(settings: services.settingsCache))
        HealthRoutes(services: services).register(on: router)
        MetricsRoutes(services: services).register(on: router)
        OpenAPIRoutes(registry: services.solverRegistry).register(on: router)
        let api = router.group("api/v1")
        let trustProxy = services.configuration.trustProxy
        UserRoutes(auth: services.customerAuth, trustProxy: trustProxy).register(on: api)
        PaymentRoutes(ledger: services.ledger, auth: services.customerAuth).register(on: api)
        let webSite = services.webSite
        DepositRoutes(
            deposits: services.deposits, methods: services.paymentMethods, auth: services.customerAuth, trustProxy: trustProxy,
            browserReturn: { deposit, request in webSite.depositReturnPath(deposit, request: request) }
        ).register(on: api)
        SolutionRoutes(solve: services.solveService, catalog: services.catalog, auth: services.customerAuth).register(on: api)
        AdminAuditRoutes(staff: services.staffAccounts, audit: services.auditLog).register(on: api)
        AdminViewRoutes(
            staff: services.staffAccounts, audit: services.auditLog, users: UserDirectory(database: services.pools[.user], sessions: services.sessionCache),
            catalog: services.catalog, statistics: ProblemStatistics(database: services.pools[.solver]),
            solutions: services.solutionStore, solve: services.solveService, ledger: services.ledger, trustProxy: trustProxy
        ).register(on: api)
        AdminSettingsRoutes(staff: services.staffAccounts, audit: services.auditLog, settings: services.systemSettings, cache: services.settingsCache, trustProxy: trustProxy).register(on: api)
        ContentRoutes(store: services.contentStore, views: services.contentViews).register(on: api)
        AdminContentRoutes(staff: services.staffAccounts, audit: services.auditLog, content: services.contentStore, trustProxy: trustProxy).register(on: api)
        AdminRoutes(
            staff: services.staffAccounts, audit: services.auditLog, ledger: services.ledger,
            customers: services.customerAuth, idempotency: services.paymentIdempotency, deposits: services.deposits, refunds: services.depositRefunds, trustProxy: trustProxy
        ).register(on: api)
        webSite.register(on: router)
        return router
    }

    /// Maintenance that runs beside the API: the settings listener, the repairing reconciler
    /// (unless `MATHFARM_RECONCILE_IN_API=false`), the outbox relay, the session sweeper,
    /// idempotency-key pruning and audit partitions ahead of time.
    public static func backgroundServices(services: MathFarmServices) -> [any Service] {
        let logger = services.logger
        let configuration = services.configuration
        var extra: [any Service] = []
        // Setting changes are pushed (LISTEN/NOTIFY); the poll only covers a listener reconnecting.
        extra.append(SettingsChangeListener(database: services.pools[.admin], cache: services.settingsCache, logger: logger))
        // Long polls (`?wait=`) wake when the lifecycle notifies that their job ended.
        extra.append(JobCompletionListener(database: services.pools[.solver], waiters: services.jobWaiters, logger: logger))
        extra.append(PeriodicService(name: "settings-refresh", interval: .seconds(30), logger: logger) {
            try await services.settingsCache.refresh()
        })
        extra.append(PeriodicService(name: "content-view-counts", interval: .seconds(5), runsAtShutdown: true, logger: logger) {
            try await services.contentViews.flush()
        })
        extra.append(PeriodicService(name: "deposit-expiry", interval: .seconds(60), logger: logger) {
            try await services.depositExpiry.sweep()
            try await services.depositRefunds.retryUnconfirmed()
        })
        if configuration.reconcileInAPI {
            extra.append(PeriodicService(name: "reconciler", interval: configuration.reconcileInterval, logger: logger) {
                try await services.jobReconciler.repair()
            })
        }
        return extra + [
            PeriodicService(name: "outbox-relay", interval: configuration.relayInterval, logger: logger) {
                try await services.outboxRelay.relayPending()
            },
            PeriodicService(name: "session-sweeper", interval: .seconds(600), logger: logger) {
                try await services.customerAuth.sweepExpired()
                try await services.browserSessions.sweepExpired()
                try await services.staffAccounts.pruneLoginFailures()
                try await services.paymentIdempotency.prune(olderThan: .seconds(7 * 24 * 3600))
            },
            PeriodicService(name: "audit-partitions", interval: .seconds(6 * 3600), logger: logger) {
                try await services.auditLog.ensurePartitions()
                try await services.auditLog.dropExpiredPartitions()
            },
        ]
    }

    /// Routes swift-metrics (request counters and latency histograms) into this process's
    /// registry. Call once per process, before the first request.
    public static func bootstrapMetrics(services: MathFarmServices) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: services.metricsRegistry))
    }

    public static func application(services: MathFarmServices) -> some ApplicationProtocol {
        let configuration = services.configuration
        var app = Application(
            router: router(services: services),
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "mathfarm"),
            services: [services.pools] + backgroundServices(services: services),
            logger: services.logger
        )
        // Once the pools run, before the first request: the diagnostic problems, when enabled.
        app.beforeServerStarts { try await services.prepare() }
        return app
    }
}
