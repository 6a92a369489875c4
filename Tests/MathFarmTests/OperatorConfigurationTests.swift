import Foundation
import MathFarmCore
import Testing

/// Issue 23 §1–3, the parsing half: Redis and PostgreSQL URLs as operators write them, and a
/// worker host's configuration holding only what it uses.
@Suite("Operator configuration")
struct OperatorConfigurationTests {
    @Test func redisURLsCarryUserPasswordAndDatabase() throws {
        let acl = try RedisConfiguration(url: "redis://mathfarm:s3cr%40t@redis.internal:6380/3")
        #expect(acl.address == .init(host: "redis.internal", port: 6380))
        #expect(acl.credentials == .init(username: "mathfarm", password: "s3cr@t"))
        #expect(acl.database == 3)
        #expect(!acl.summary.contains("s3cr"))

        let passwordOnly = try RedisConfiguration(url: "redis://:only-a-password@10.0.0.5")
        #expect(passwordOnly.credentials == .init(username: nil, password: "only-a-password"))
        #expect(passwordOnly.address.port == 6379 && passwordOnly.database == 0)

        let plain = try RedisConfiguration(url: "redis://127.0.0.1:56379")
        #expect(plain.credentials == .init() && plain.database == 0)

        for bad in ["http://host", "redis://", "redis://host/db1", "redis://host/-1", "redis://user@host", "redis://host:0"] {
            #expect(throws: RedisConfigurationError.self, "\(bad) accepted") { try RedisConfiguration(url: bad) }
        }
    }

    @Test func sentinelsComeFromTheEnvironment() throws {
        let env = EnvironmentReader([
            "MATHFARM_REDIS_SENTINELS": "10.1.0.2:26379, 10.1.0.3 ,[fd00::4]:26380",
            "MATHFARM_REDIS_MASTER": "farm",
            "MATHFARM_REDIS_SENTINEL_PASSWORD": "sentinel-pw",
            "MATHFARM_REDIS_POOL": "6",
        ])
        let configuration = try RedisConfiguration(url: "redis://mathfarm:pw@ignored:1/2", environment: env)
        let sentinel = try #require(configuration.sentinel)
        #expect(sentinel.addresses == [.init(host: "10.1.0.2", port: 26379), .init(host: "10.1.0.3", port: 26379), .init(host: "fd00::4", port: 26380)])
        #expect(sentinel.masterName == "farm")
        #expect(sentinel.credentials == .init(username: nil, password: "sentinel-pw"))
        #expect(configuration.credentials.username == "mathfarm" && configuration.database == 2 && configuration.poolSize == 6)
        #expect(!configuration.summary.contains("pw"))

        for (key, value) in [("MATHFARM_REDIS_SENTINELS", "host:notaport"), ("MATHFARM_REDIS_SENTINELS", ","), ("MATHFARM_REDIS_POOL", "0")] {
            #expect(throws: ConfigurationError.self, "\(key)=\(value) accepted") {
                try RedisConfiguration(url: "redis://127.0.0.1", environment: EnvironmentReader([key: value]))
            }
        }
        // A malformed URL is reported under its variable, with the password masked.
        do {
            _ = try RedisConfiguration(url: "redis://u:hidden@host/x", environment: EnvironmentReader([:]))
            Issue.record("accepted a database index that is not a number")
        } catch let error as ConfigurationError {
            #expect("\(error)".contains("MATHFARM_REDIS_URL") && !"\(error)".contains("hidden"))
        }
    }

    @Test func postgresURLsCarryLibpqTLSModes() throws {
        let full = try DatabaseURL(parsing: "postgres://app:pw@10.0.0.9:5432/payment_service_db?sslmode=verify-full&sslrootcert=/etc/mathfarm/ca.pem")
        #expect(full.tlsMode == .verifyFull && full.rootCertificatePath == "/etc/mathfarm/ca.pem")
        #expect(full.with(database: "x").tlsMode == .verifyFull)
        #expect(full.description == "postgres://app:***@10.0.0.9:5432/payment_service_db?sslmode=verify-full&sslrootcert=/etc/mathfarm/ca.pem")
        #expect(try DatabaseURL(parsing: "postgres://app@db/x?sslmode=require").tlsMode == .require)
        #expect(try DatabaseURL(parsing: "postgres://app@db/x").tlsMode == nil)
        for bad in ["postgres://app@db/x?sslmode=sometimes", "postgres://app@db/x?sslrootcert=", "postgres://app@db/x?connect_timeout=3"] {
            #expect(throws: DatabaseURLError.self, "\(bad) accepted") { try DatabaseURL(parsing: bad) }
        }
        // A root file that is not there is refused before any connection is tried.
        let missing = try DatabaseURL(parsing: "postgres://app@db/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        #expect(throws: DatabaseURLError.self) { try missing.clientConfiguration() }
    }

    /// A worker host holds Redis and two database URLs, and production starts it on those alone;
    /// the API's configuration from the same environment is refused (it needs its secrets).
    @Test func aWorkerHostNeedsOnlyTheConnectionsItUses() throws {
        let workerHost = [
            "MATHFARM_REDIS_URL": "redis://mathfarm:pw@redis.internal:6379/0",
            "MATHFARM_SOLVER_DB_URL": "postgres://app:pw@db.internal:5432/math_solver_db?sslmode=require",
            "MATHFARM_PAYMENT_DB_URL": "postgres://app:pw@db.internal:5432/payment_service_db?sslmode=require",
        ]
        let configuration = try WorkerConfiguration(environment: EnvironmentReader(workerHost))
        #expect(configuration.mode == .production)
        #expect(Set(configuration.databases.keys) == [.solver, .payment])
        #expect(configuration.redis.credentials.username == "mathfarm")
        #expect(throws: ConfigurationError.self) { try MathFarmConfiguration(environment: EnvironmentReader(workerHost)) }

        // Missing one of its own connections is named; the API's secrets are not asked for.
        for missing in workerHost.keys {
            var env = workerHost
            env[missing] = nil
            do {
                _ = try WorkerConfiguration(environment: EnvironmentReader(env))
                Issue.record("started without \(missing)")
            } catch ConfigurationError.insecure(let problems) {
                #expect(!problems.isEmpty)
                #expect(!problems.joined().contains("JWT") && !problems.joined().contains("SETTINGS_KEY"))
            }
        }
        // The examples' placeholder passwords are refused like any repository value.
        for (key, value) in [
            ("MATHFARM_REDIS_URL", "redis://mathfarm:CHANGE-ME@redis.internal:6379/0"),
            ("MATHFARM_PAYMENT_DB_URL", "postgres://app:CHANGE-ME@db.internal:5432/payment_service_db"),
            ("MATHFARM_REDIS_SENTINEL_PASSWORD", "CHANGE-ME"),
        ] {
            do {
                _ = try WorkerConfiguration(environment: EnvironmentReader(workerHost.merging([key: value]) { $1 }))
                Issue.record("\(key) with the example's password accepted")
            } catch ConfigurationError.insecure(let problems) {
                #expect(problems.contains { $0.hasPrefix(key) }, "\(problems)")
            }
        }
        // The test-only problems are refused on a worker host too.
        #expect(throws: ConfigurationError.self) {
            try WorkerConfiguration(environment: EnvironmentReader(workerHost.merging(["MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS": "1"]) { $1 }))
        }
    }

    @Test func grantsNameOnlyPlainRoles() {
        for good in ["mathfarm_app", "_svc", "app2"] { #expect(ServiceRoleGrants.isValidRoleName(good)) }
        for bad in ["", "App", "2app", "app; DROP TABLE users", "app\"", String(repeating: "a", count: 64)] {
            #expect(!ServiceRoleGrants.isValidRoleName(bad), "\(bad) accepted")
        }
    }
}
