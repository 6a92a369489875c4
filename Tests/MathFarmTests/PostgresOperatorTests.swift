import Foundation
import Logging
import MathFarmCore
import PaymentService
import PostgresNIO
import Testing

/// Issue 23 §2: PostgreSQL as operators run it. A server with TLS (a certificate from a CA the
/// harness makes with openssl) and scram-sha-256 passwords; migrations as an owner role; the
/// services as a role that can change rows but not the schema.
@Suite("PostgreSQL as operators run it", .serialized)
struct PostgresOperatorTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Connects, runs `sql`, returns the first column of the first row.
    static func value(_ url: String, _ sql: String) async throws -> String? {
        let connection = try await PostgresConnection.connect(
            configuration: try DatabaseURL(parsing: url).connectionConfiguration(), id: 1, logger: logger
        )
        defer { Task { try? await connection.close() } }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        return try rows.first?.decode(String?.self, context: .default)
    }

    @Test func scramOverVerifiedTLSAndALeastPrivilegeServiceRole() async throws {
        let postgres = try PrivatePostgres(tls: true)
        let ca = postgres.certificateAuthority
        let ownerPassword = plainPassword(), appPassword = plainPassword()
        _ = try await Self.value(postgres.url, "CREATE ROLE mathfarm_owner LOGIN CREATEDB PASSWORD '\(ownerPassword)'")
        _ = try await Self.value(postgres.url, "CREATE ROLE mathfarm_app LOGIN PASSWORD '\(appPassword)'")
        #expect(try await Self.value(postgres.url, "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'mathfarm_app'") == "SCRAM-SHA-256$")

        func server(_ credentials: String, host: String = "127.0.0.1", _ options: String) -> String {
            "postgres://\(credentials)@\(host):\(postgres.port)/postgres" + (options.isEmpty ? "" : "?" + options)
        }
        let sslInUse = "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        let owner = "mathfarm_owner:\(ownerPassword)"
        // Every TLS mode that should connect does, encrypted.
        for options in ["sslmode=verify-full&sslrootcert=\(ca)", "sslmode=verify-ca&sslrootcert=\(ca)", "sslmode=require", "sslmode=require&sslrootcert=\(ca)", "sslmode=prefer"] {
            #expect(try await Self.value(server(owner, options), sslInUse) == "true", "\(options)")
        }
        // The certificate names 127.0.0.1 and mathfarm-db.test, not 127.0.0.2 (where the server
        // listens too): verify-full refuses that address, verify-ca (chain only) accepts it.
        await #expect(throws: (any Error).self) { try await Self.value(server(owner, host: "127.0.0.2", "sslmode=verify-full&sslrootcert=\(ca)"), sslInUse) }
        #expect(try await Self.value(server(owner, host: "127.0.0.2", "sslmode=verify-ca&sslrootcert=\(ca)"), sslInUse) == "true")
        // Not signed by a CA the system trusts; plain text and a wrong password are refused.
        await #expect(throws: (any Error).self) { try await Self.value(server(owner, "sslmode=verify-full"), sslInUse) }
        await #expect(throws: (any Error).self) { try await Self.value(server(owner, "sslmode=disable"), sslInUse) }
        await #expect(throws: (any Error).self) { try await Self.value(server("mathfarm_owner:wrong", "sslmode=require"), sslInUse) }

        // Migrations as the owner (it creates the databases), then the service role's grants.
        let ownerURL = server(owner, "sslmode=verify-full&sslrootcert=\(ca)")
        let ownerStack = try await TestStack.make(pipelineSettings(["MATHFARM_PG_URL": ownerURL]))
        try await ownerStack.run { _ in }  // the audit trail's partitions, as the owner
        for database in ServiceDatabase.allCases {
            try await ServiceRoleGrants.grant(role: "mathfarm_app", url: ownerStack.configuration.databaseURL(database), logger: Self.logger)
        }
        // The same databases, as the service role.
        var environment = ownerStack.environment
        environment["MATHFARM_PG_URL"] = server("mathfarm_app:\(appPassword)", "sslmode=verify-full&sslrootcert=\(ca)")
        for database in ServiceDatabase.allCases {
            environment[database.urlVariable] = try TestStack.url(environment["MATHFARM_PG_URL"] ?? "", database: "\(ownerStack.prefix)_\(database.rawValue)")
        }
        let appStack = TestStack(
            configuration: try MathFarmConfiguration(environment: EnvironmentReader(environment)), logger: Self.logger,
            environment: environment, prefix: ownerStack.prefix
        )

        // The service role changes rows, never the schema.
        let payment = try #require(environment[ServiceDatabase.payment.urlVariable])
        let admin = try #require(environment[ServiceDatabase.admin.urlVariable])
        #expect(try await Self.value(payment, "SELECT current_user::text") == "mathfarm_app")
        #expect(try await Self.value(payment, "SELECT count(*)::text FROM wallets") == "0")
        for statement in ["DROP TABLE wallets", "ALTER TABLE wallets ADD COLUMN x int", "TRUNCATE transactions", "CREATE TABLE sneaky (id int)", "DROP TABLE schema_migrations"] {
            do {
                _ = try await Self.value(payment, statement)
                Issue.record("the service role ran \(statement)")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "42501", "\(statement): \(String(reflecting: error))")
            }
        }

        // A paid job end to end with the API and a worker process on the service role, over
        // scram + verified TLS.
        try await withPipeline(on: appStack) { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": -5, "c": 6}"#)
            let id = try #require(submitted.string("id"))
            #expect(try await pipeline.waitTerminal(id, token: token).string("status") == "completed")
            await pool.stop()
            #expect(try await pipeline.services.ledger.balance(of: user).totalSpent == Money(dong: 2_000))
            #expect(try await pipeline.violations() == [])

            // The audit trail's partitions, ahead and after retention, through the owner's
            // functions: the service role needs no DDL for them (and the functions take only a
            // month, never a name).
            let audit = pipeline.services.auditLog
            let later = Date().addingTimeInterval(3 * 365 * 24 * 3600)
            let created = try await audit.ensurePartitions(monthsAhead: 1, now: later)
            #expect(created.count == 2, "\(created)")
            #expect(try await audit.ensurePartitions(monthsAhead: 1, now: later).isEmpty)  // repeated: nothing to do
            await #expect(throws: (any Error).self) { try await Self.value(admin, "SELECT audit_logs_create_partition(1999, 13)::text") }
            let dropped = try await audit.dropExpiredPartitions(keepMonths: 0, now: later.addingTimeInterval(90 * 24 * 3600))
            #expect(Set(created).isSubset(of: Set(dropped)), "\(dropped)")
            #expect(try await Self.value(admin, "SELECT count(*)::text FROM pg_class WHERE relname = '\(created.first ?? "")'") == "0")
        }
    }
}
