import Foundation

/// Everything a MathFarm process needs to know about its surroundings, read from the environment.
///
/// The README documents each variable; the defaults are the ones the local run script uses,
/// except secrets, which production requires (`DeploymentMode`, `RepositorySecrets`).
public struct MathFarmConfiguration: Sendable {
    /// `MATHFARM_ENV`: production unless development is asked for.
    public var mode: DeploymentMode
    /// The environment this configuration was read from, for the configurations of other
    /// modules (gateways, sandbox) so a process reads one environment.
    public let environment: EnvironmentReader
    public var httpHost: String
    public var httpPort: Int
    public private(set) var databases: [ServiceDatabase: DatabaseURL]
    /// Redis: server or Sentinels, credentials, database index, pool (`RedisConfiguration`).
    public var redis: RedisConfiguration
    /// Prefix of every Redis key (streams), so several farms or test runs can share a server.
    public var redisPrefix: String
    /// HS256 secret for access tokens. At least 32 bytes (shorter keys are refused).
    public var jwtSecret: String
    /// AES-256-GCM key of encrypted settings (`MATHFARM_SETTINGS_KEY`, 32 bytes base64).
    public var settingsKey: Data
    /// Bearer token `/metrics` requires (`MATHFARM_METRICS_TOKEN`); without one, production
    /// serves no metrics on the public listener and development serves them openly.
    public var metricsToken: String?
    /// `Strict-Transport-Security` on every response: the public URL is https.
    public var strictTransportSecurity: Bool
    public var accessTokenTTL: Duration
    public var refreshTokenTTL: Duration
    public var bcryptCost: UInt8
    /// Honour `X-Forwarded-For` for the client address (only behind a trusted proxy).
    public var trustProxy: Bool
    public var migrationsDirectory: String
    /// How long a solve hold may stay pending before the reconciler must void it.
    public var holdTTL: Duration
    /// Extra time past a hold's expiry before `reconcile --check` reports it.
    public var holdGrace: Duration
    public var relayInterval: Duration
    /// Failed logins per account (and per account and address) before delays start.
    public var loginMaxFailures: Int
    /// Failed logins per client address, over all accounts, before delays start: high, because
    /// a school or a carrier NAT puts many customers behind one address.
    public var loginIPMaxFailures: Int
    /// Failures older than this are forgotten.
    public var loginWindow: Duration
    public var staffMaxFailures: Int
    /// The longest delay a staff account's failures can impose (the delays double up to it).
    public var staffLockout: Duration
    /// A rotated refresh token presented again this soon by the same client (two tabs racing)
    /// is answered 409 without revoking the session; later, or by another client, it revokes.
    public var refreshReuseGrace: Duration
    /// How long an API process trusts a session it read from PostgreSQL (0 = never): a logout,
    /// revocation or deactivation made by another API process is seen this much later here.
    public var sessionCacheLifetime: Duration
    public var defaultLanguage: Language
    /// How jobs run, retry and time out (shared with the worker hosts: `JobSettings`).
    public var jobs: JobSettings
    public var reconcileInterval: Duration
    /// How long a job may sit queued before the reconciler checks that Redis still has it.
    public var requeueAfter: Duration
    public var premiumDiscountPercent: Int
    /// Run the repairing reconciler inside `mathfarm api` (default) or only as `mathfarm reconcile`.
    public var reconcileInAPI: Bool

    public static let developmentJWTSecret = RepositorySecrets.developmentJWTSecret

    /// A secret's value, or nil when it is unset and development mode was asked for (the caller
    /// then uses the repository's development value). Unset in production is an error here as
    /// well as in `RepositorySecrets.problems`: no code path falls back to a public secret.
    /// Reads the environment; in production throws `ConfigurationError.insecure` naming every
    /// missing, short or public secret at once.
    public init(environment env: EnvironmentReader = EnvironmentReader()) throws {
        environment = env
        mode = try DeploymentMode(environment: env)
        let problems = RepositorySecrets.problems(in: env, mode: mode)
        guard problems.isEmpty else { throw ConfigurationError.insecure(problems) }
        httpHost = env.string("MATHFARM_HTTP_HOST", default: "127.0.0.1")
        httpPort = try env.int("MATHFARM_HTTP_PORT", default: 8080)
        // No secret has a default, and neither have the connection strings (they carry the
        // servers' credentials): production refused a missing one above (`problems`), and
        // development gets the repository's local values only through `resolved(for:)`.
        let secrets = env.resolved(for: mode)
        databases = try ServiceDatabase.connectionURLs(ServiceDatabase.allCases, environment: env, resolved: secrets)
        redis = try RedisConfiguration(url: try secrets.required("MATHFARM_REDIS_URL"), environment: env)
        redisPrefix = env.string("MATHFARM_REDIS_PREFIX", default: "mathfarm")
        jwtSecret = try secrets.required("MATHFARM_JWT_SECRET")
        guard jwtSecret.utf8.count >= RepositorySecrets.minimumSecretBytes else {
            throw ConfigurationError.invalid(key: "MATHFARM_JWT_SECRET", value: "(hidden)", expected: "at least 32 bytes long")
        }
        guard let key = Data(base64Encoded: try secrets.required("MATHFARM_SETTINGS_KEY")), key.count == 32 else {
            throw ConfigurationError.invalid(key: "MATHFARM_SETTINGS_KEY", value: "(hidden)", expected: "32 bytes, base64")
        }
        settingsKey = key
        metricsToken = env.optionalString("MATHFARM_METRICS_TOKEN")
        strictTransportSecurity = env.string("MATHFARM_PUBLIC_URL", default: "").lowercased().hasPrefix("https://")
        accessTokenTTL = .seconds(try env.int("MATHFARM_ACCESS_TOKEN_TTL", default: 900))
        refreshTokenTTL = .seconds(try env.int("MATHFARM_REFRESH_TOKEN_TTL", default: 30 * 24 * 3600))
        let cost = try env.int("MATHFARM_BCRYPT_COST", default: 12)
        guard (4...16).contains(cost) else {
            throw ConfigurationError.invalid(key: "MATHFARM_BCRYPT_COST", value: String(cost), expected: "between 4 and 16")
        }
        bcryptCost = UInt8(cost)
        trustProxy = try env.bool("MATHFARM_TRUST_PROXY", default: false)
        migrationsDirectory = env.string("MATHFARM_MIGRATIONS_DIR", default: "migrations")
        holdTTL = .seconds(try env.int("MATHFARM_HOLD_TTL", default: 600))
        holdGrace = .seconds(try env.int("MATHFARM_HOLD_GRACE", default: 120))
        relayInterval = .milliseconds(try env.int("MATHFARM_RELAY_INTERVAL_MS", default: 250))
        loginMaxFailures = try env.int("MATHFARM_LOGIN_MAX_FAILURES", default: 5)
        loginIPMaxFailures = try env.int("MATHFARM_LOGIN_IP_MAX_FAILURES", default: 100)
        loginWindow = .seconds(try env.int("MATHFARM_LOGIN_WINDOW", default: 900))
        staffMaxFailures = try env.int("MATHFARM_STAFF_MAX_FAILURES", default: 5)
        staffLockout = .seconds(try env.int("MATHFARM_STAFF_LOCKOUT", default: 900))
        refreshReuseGrace = .seconds(try env.int("MATHFARM_REFRESH_REUSE_GRACE", default: 30))
        let sessionCacheMs = try env.int("MATHFARM_SESSION_CACHE_MS", default: 1_000)
        guard (0...5_000).contains(sessionCacheMs) else {
            throw ConfigurationError.invalid(key: "MATHFARM_SESSION_CACHE_MS", value: String(sessionCacheMs), expected: "0 to 5000 milliseconds")
        }
        sessionCacheLifetime = .milliseconds(sessionCacheMs)
        for (key, value) in [
            ("MATHFARM_LOGIN_MAX_FAILURES", loginMaxFailures), ("MATHFARM_LOGIN_IP_MAX_FAILURES", loginIPMaxFailures),
            ("MATHFARM_STAFF_MAX_FAILURES", staffMaxFailures),
        ] where value < 1 {
            throw ConfigurationError.invalid(key: key, value: String(value), expected: "at least 1")
        }
        let lang = env.string("MATHFARM_DEFAULT_LANGUAGE", default: "vi")
        guard let language = Language(rawValue: lang) else {
            throw ConfigurationError.invalid(key: "MATHFARM_DEFAULT_LANGUAGE", value: lang, expected: "vi or en")
        }
        defaultLanguage = language
        jobs = try JobSettings(environment: env)
        reconcileInterval = .milliseconds(try env.int("MATHFARM_RECONCILE_INTERVAL_MS", default: 5_000))
        requeueAfter = .milliseconds(try env.int("MATHFARM_REQUEUE_AFTER_MS", default: 30_000))
        premiumDiscountPercent = try env.int("MATHFARM_PREMIUM_DISCOUNT_PERCENT", default: 20)
        guard (0...100).contains(premiumDiscountPercent) else {
            throw ConfigurationError.invalid(key: "MATHFARM_PREMIUM_DISCOUNT_PERCENT", value: String(premiumDiscountPercent), expected: "between 0 and 100")
        }
        reconcileInAPI = try env.bool("MATHFARM_RECONCILE_IN_API", default: true)
    }

    public func databaseURL(_ database: ServiceDatabase) -> DatabaseURL {
        // init fills in every case (or throws) and `databases` is not mutable from outside.
        guard let url = databases[database] else { preconditionFailure("no URL for \(database.rawValue)") }
        return url
    }
}

extension Duration {
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// Whole milliseconds (truncated), for logs and `*_ms` columns.
    public var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
