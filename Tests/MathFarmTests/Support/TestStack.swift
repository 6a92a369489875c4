import Foundation
import PaymentService
import Logging
import MathFarmCore
import MathFarmHTTP
import MathSolvers
import SolverService
import Testing

/// A private set of the five databases (fresh, migrated) on the test PostgreSQL server, with
/// every MathFarm service wired to them.
///
/// The servers come from `scripts/test.sh` (and `.ci/run`), which exports
/// `MATHFARM_TEST_PG_URL` and `MATHFARM_TEST_REDIS_URL`. Each stack gets database names with a
/// random prefix, so tests run in parallel without seeing each other's rows.
struct TestStack: Sendable {
    let configuration: MathFarmConfiguration
    let logger: Logger
    let environment: [String: String]
    let prefix: String
    /// Problem types beyond the build's (nil: the build's, as the services choose them).
    var registry: SolverRegistry? = nil

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func baseEnvironment() throws -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        guard let pg = env["MATHFARM_TEST_PG_URL"], let redis = env["MATHFARM_TEST_REDIS_URL"] else {
            throw TestSetupError.missingServers
        }
        return [
            // Production is the default; the tests run on the development keys.
            "MATHFARM_ENV": "development",
            "MATHFARM_PG_URL": pg,
            "MATHFARM_REDIS_URL": redis,
            "MATHFARM_BCRYPT_COST": "4",
            "MATHFARM_MIGRATIONS_DIR": repositoryRoot.appendingPathComponent("migrations").path,
            "MATHFARM_DEFAULT_LANGUAGE": "en",
        ]
    }

    /// Creates and migrates fresh databases. `overrides` are extra environment settings.
    /// `registry` is what `mathfarm migrate` installs into the catalogue (tests add a toy type).
    static func make(_ overrides: [String: String] = [:], registry: SolverRegistry? = nil) async throws -> TestStack {
        var environment = try baseEnvironment()
        if let server = overrides["MATHFARM_PG_URL"] { environment["MATHFARM_PG_URL"] = server }
        let prefix = "t" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        let server = environment["MATHFARM_PG_URL"] ?? ""
        for database in ServiceDatabase.allCases {
            environment[database.urlVariable] = try url(server, database: "\(prefix)_\(database.rawValue)")
        }
        environment.merge(overrides) { $1 }
        let configuration = try MathFarmConfiguration(environment: EnvironmentReader(environment))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let migrator = Migrator(migrationsDirectory: configuration.migrationsDirectory, logger: logger)
        for database in ServiceDatabase.allCases {
            _ = try await migrator.migrate(database, url: configuration.databaseURL(database))
        }
        try await ProblemCatalogInstaller.install(registry ?? SolverRegistry(diagnosticsEnabled: false), url: configuration.databaseURL(.solver), logger: logger)
        return TestStack(configuration: configuration, logger: logger, environment: environment, prefix: String(prefix), registry: registry)
    }

    /// `server` (a postgres:// URL, with its user, password and TLS options) naming `database`.
    static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server), (try? DatabaseURL(parsing: server)) != nil else {
            throw DatabaseURLError.invalid(server)
        }
        components.path = "/" + database
        return components.string ?? server
    }

    /// Fresh service objects (and connection pools) for these databases. A pool runs only once,
    /// so every `run` or API test gets its own.
    func makeServices(deposits: DepositConfiguration? = nil) async throws -> MathFarmServices {
        try await MathFarmServices(configuration: configuration, depositConfiguration: deposits, registry: registry, logger: logger)
    }

    /// Runs `body` while the connection pools run.
    func run<T: Sendable>(_ body: @Sendable (MathFarmServices) async throws -> T) async throws -> T {
        let services = try await makeServices()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.pools.run() }
            defer { group.cancelAll() }
            try await services.auditLog.ensurePartitions()
            return try await body(services)
        }
    }

    /// Convenience: a fresh stack, running.
    static func withRunning<T: Sendable>(
        _ overrides: [String: String] = [:], _ body: @Sendable (MathFarmServices) async throws -> T
    ) async throws -> T {
        try await make(overrides).run(body)
    }
}

enum TestSetupError: Error, CustomStringConvertible {
    case missingServers

    var description: String {
        "MATHFARM_TEST_PG_URL / MATHFARM_TEST_REDIS_URL are not set: run the suite with scripts/test.sh, which starts PostgreSQL and Redis"
    }
}
