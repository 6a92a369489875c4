import AdminService
import ContentService
import Foundation
import Logging
import MathFarmCore
import MathSolvers
import PaymentService
import Prometheus
import SolverService
import UserService
import WebSite

/// The composition root: every service object of one MathFarm process, wired from configuration.
///
/// Dependencies are explicit: each service gets the databases and peers it uses and nothing
/// else, so the graph here is the service map of ARCHITECTURE.md section 1.
public struct MathFarmServices: Sendable {
    public let configuration: MathFarmConfiguration
    public let pools: DatabasePools
    public let customerAuth: CustomerAuth
    /// The sessions `customerAuth` confirmed a moment ago (shared with the staff's user directory).
    public let sessionCache: LiveSessionCache
    public let balanceProjection: BalanceProjection
    public let ledger: Ledger
    public let outboxRelay: OutboxRelay
    public let ledgerReconciler: LedgerReconciler
    public let paymentIdempotency: IdempotencyStore
    public let paymentMethods: PaymentMethods
    public let deposits: DepositService
    public let depositExpiry: DepositExpiry
    public let depositRefunds: DepositRefunds
    public let contentStore: ContentStore
    public let systemSettings: SystemSettings
    /// Runtime settings (maintenance mode, premium discount), refreshed when they change.
    public let settingsCache: SettingsCache
    public let contentViews: ViewCounter
    public let staffAccounts: StaffAccounts
    public let auditLog: AuditLog
    public let redis: RedisClient
    public let catalog: ProblemCatalog
    public let solverRegistry: SolverRegistry
    public let solutionStore: SolutionStore
    public let jobQueue: JobQueue
    /// The one owner of every job transition and job charge.
    public let jobLifecycle: JobLifecycle
    /// This API process's long polls, woken by `JobCompletionListener`.
    public let jobWaiters = JobCompletionWaiters()
    public let solveService: SolveService
    public let jobReconciler: JobReconciler
    /// Website sessions (HttpOnly cookie → `browser_sessions`).
    public let browserSessions: BrowserSessions
    /// The website: pages, static files and the preview endpoint.
    public let webSite: WebSite
    /// This process's Prometheus registry (`/metrics`).
    public let metricsRegistry = PrometheusCollectorRegistry()
    public let logger: Logger

    /// `depositConfiguration` defaults to the environment (`MATHFARM_VNPAY_*`, `MATHFARM_BANK_*`, …).
    /// `registry` defaults to the build's problem types (tests pass one with a toy type added).
    public init(
        configuration: MathFarmConfiguration, depositConfiguration: DepositConfiguration? = nil,
        registry: SolverRegistry? = nil, logger: Logger
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        let pools = try DatabasePools(configuration: configuration, logger: logger)
        self.pools = pools
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        let decoy = try await hasher.decoyHash()
        let tokens = await AccessTokenService(secret: configuration.jwtSecret, ttl: configuration.accessTokenTTL)

        let throttle = LoginThrottle(
            database: pools[.user], maxFailures: configuration.loginMaxFailures, window: configuration.loginWindow,
            addressMaxFailures: configuration.loginIPMaxFailures
        )
        sessionCache = LiveSessionCache(lifetime: configuration.sessionCacheLifetime)
        customerAuth = CustomerAuth(
            database: pools[.user], tokens: tokens, hasher: hasher, throttle: throttle,
            refreshTTL: configuration.refreshTokenTTL, decoyHash: decoy, reuseGrace: configuration.refreshReuseGrace,
            sessions: sessionCache
        )
        balanceProjection = BalanceProjection(database: pools[.user])

        ledger = Ledger(database: pools[.payment])
        // Wallet changes go to the user service's projection and, as money movements, to the
        // audit trail (once per wallet version, however often the relay delivers them).
        let projection = balanceProjection
        let walletAudit = AuditLog(database: pools[.admin])
        outboxRelay = OutboxRelay(database: pools[.payment]) { states in
            try await projection.apply(states)
            try await walletAudit.recordOnce(states.map { (Self.walletAuditEntry($0), "wallet-v\($0.version)", $0.changedAt) })
        }
        ledgerReconciler = LedgerReconciler(database: pools[.payment], projection: balanceProjection, holdGrace: configuration.holdGrace)
        paymentIdempotency = IdempotencyStore(database: pools[.payment])
        let gatewayConfiguration = try depositConfiguration ?? DepositConfiguration(environment: configuration.environment)

        auditLog = AuditLog(database: pools[.admin])
        paymentMethods = PaymentMethods(database: pools[.payment], isEnabled: { gatewayConfiguration.isMethodEnabled($0) })
        let auditLog = self.auditLog
        let auditLogger = logger
        deposits = DepositService(
            ledger: ledger, methods: paymentMethods, configuration: gatewayConfiguration,
            idempotency: paymentIdempotency,
            audit: { event in
                do {
                    try await Self.recordDepositAudit(event, in: auditLog)
                } catch {
                    // A completed deposit's entry is offered again by the gateway's next retry.
                    auditLogger.error("deposit audit entry not written", metadata: ["error": "\(error)"])
                }
            },
            logger: logger
        )
        depositExpiry = DepositExpiry(ledger: ledger, configuration: gatewayConfiguration, logger: logger)
        depositRefunds = DepositRefunds(
            ledger: ledger, configuration: gatewayConfiguration,
            audit: { event in
                do { try await Self.recordDepositAudit(event, in: auditLog) } catch {
                    auditLogger.error("refund audit entry not written", metadata: ["error": "\(error)"])
                }
            },
            logger: logger
        )
        staffAccounts = StaffAccounts(
            database: pools[.admin], tokens: tokens, hasher: hasher, audit: auditLog,
            maxFailures: configuration.staffMaxFailures, lockout: configuration.staffLockout, decoyHash: decoy
        )
        contentStore = ContentStore(database: pools[.content])
        contentViews = ViewCounter(database: pools[.content])
        redis = RedisClient(configuration: configuration.redis, logger: logger)

        let settings = SystemSettings(database: pools[.admin], cipher: try SettingsCipher(key: configuration.settingsKey))
        systemSettings = settings
        let cache = SettingsCache { try await settings.snapshot() }
        settingsCache = cache
        let fallbackDiscount = configuration.premiumDiscountPercent
        let solverRegistry = registry ?? SolverRegistry(diagnosticsEnabled: configuration.jobs.diagnosticProblems)
        self.solverRegistry = solverRegistry
        catalog = ProblemCatalog(database: pools[.solver], registry: solverRegistry) {
            // The staff-managed setting wins; the environment value until it is loaded.
            await cache.int("premium_discount_percent").map { min(max($0, 0), 100) } ?? fallbackDiscount
        }
        solutionStore = SolutionStore(database: pools[.solver])
        jobQueue = JobQueue(redis: redis, prefix: configuration.redisPrefix)
        jobLifecycle = JobLifecycle(store: solutionStore, ledger: ledger, queue: jobQueue, logger: logger)
        solveService = SolveService(
            catalog: catalog, registry: solverRegistry, store: solutionStore, lifecycle: jobLifecycle, waiters: jobWaiters,
            holdTTL: configuration.holdTTL, logger: logger
        )
        jobReconciler = JobReconciler(
            settings: .init(
                orphanHoldGrace: configuration.holdGrace, settlementGrace: .seconds(10),
                requeueAfter: configuration.requeueAfter, maxAttempts: configuration.jobs.maxAttempts
            ),
            store: solutionStore, ledger: ledger, queue: jobQueue, lifecycle: jobLifecycle, logger: logger
        )
        let webConfiguration = try WebConfiguration(secret: configuration.jwtSecret)
        browserSessions = BrowserSessions(database: pools[.user], ttl: webConfiguration.sessionTTL)
        webSite = try await WebSite(
            dependencies: .init(
                auth: customerAuth, sessions: browserSessions, solve: solveService, catalog: catalog, registry: solverRegistry,
                ledger: ledger, deposits: deposits, paymentMethods: paymentMethods, content: contentStore, contentViews: contentViews,
                settings: cache, trustProxy: configuration.trustProxy, logger: logger
            ),
            configuration: webConfiguration
        )
    }

    /// A wallet change as a money movement in the audit trail: the totals before and after, and
    /// the ledger transaction that moved them.
    static func walletAuditEntry(_ state: WalletState) -> AuditLog.Entry {
        func values(_ totals: WalletState.Totals, version: Int64) -> [String: String] {
            [
                "version": String(version), "available": totals.available.description, "held": totals.held.description,
                "total_deposited": totals.totalDeposited.description, "total_spent": totals.totalSpent.description,
            ]
        }
        var new = values(state.totals, version: state.version)
        if let transaction = state.transactionID { new["transaction_id"] = transaction.uuidString.lowercased() }
        return AuditLog.Entry(
            staffID: nil, action: .update, entity: .wallet, entityID: state.userID,
            oldValues: state.previous.map { values($0, version: state.version - 1) }, newValues: new
        )
    }

    /// Deposit events in the audit trail: a completion once per deposit; every rejection.
    static func recordDepositAudit(_ event: DepositAuditEvent, in auditLog: AuditLog) async throws {
        var values = ["gateway": event.gateway, "detail": event.detail, "event": event.kind.rawValue]
        if let reference = event.reference { values["reference"] = reference }
        switch event.kind {
        case .refunded:
            guard let id = event.depositID else { return }
            try await auditLog.recordOnce(AuditLog.Entry(staffID: event.staffID, action: .refund, entity: .transaction, entityID: id, newValues: values), transactionID: id)
        case .completed, .failed, .expired:
            guard let id = event.depositID else { return }
            let entry = AuditLog.Entry(staffID: event.staffID, action: event.kind == .completed ? .confirm : .update, entity: .transaction, entityID: id, newValues: values)
            try await auditLog.recordOnce(entry, transactionID: id)
        case .rejected:
            try await auditLog.record(AuditLog.Entry(staffID: nil, action: .update, entity: .transaction, entityID: nil, newValues: values))
        }
    }

    /// Work done once when a process starts: settings, the catalogue's schemas from the solver
    /// registry, and the test-only problems if enabled.
    public func prepare() async throws {
        try await settingsCache.refresh()
        try await catalog.publishSchemas()
        if configuration.jobs.diagnosticProblems {
            try await catalog.installDiagnosticProblems(timeoutSeconds: 3)
        }
    }
}
