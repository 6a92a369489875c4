import ArgumentParser
import Foundation
import MathFarmCore
import MathFarmHTTP
import MathSolvers
import SolverService

/// `mathfarm migrate`: creates missing databases, applies pending migrations to all five and
/// installs the solver registry's problem types into the catalogue (`ProblemCatalogInstaller`).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create the databases and apply migrations.")

    @Option(
        name: .customLong("grant-to"),
        help: "After migrating (as the owner role of the URLs), grant this existing login role the services' privileges: rows of every table, no DDL."
    )
    var grantTo: String?

    func validate() throws {
        if let grantTo, !ServiceRoleGrants.isValidRoleName(grantTo) {
            throw ValidationError(ServiceRoleGrants.GrantError.invalidRoleName(grantTo).description)
        }
    }

    func run() async throws {
        let logger = ProcessSetup.logger("mathfarm.migrate")
        let configuration = try ProcessSetup.configuration()
        let migrator = Migrator(migrationsDirectory: configuration.migrationsDirectory, logger: logger)
        for database in ServiceDatabase.allCases {
            let report = try await migrator.migrate(database, url: configuration.databaseURL(database))
            print("\(database.rawValue): \(report.createdDatabase ? "created, " : "")\(report.applied.isEmpty ? "up to date" : "applied \(report.applied.joined(separator: ", "))")")
        }
        let installed = try await ProblemCatalogInstaller.install(
            SolverRegistry(diagnosticsEnabled: false), url: configuration.databaseURL(.solver), logger: logger
        )
        if !installed.isEmpty { print("math_solver_db: installed problem types \(installed.joined(separator: ", "))") }
        let created = try await ProcessSetup.withServices(logger: logger) { services in
            try await services.auditLog.ensurePartitions()
        }
        if !created.isEmpty { print("admin_service_db: created partitions \(created.joined(separator: ", "))") }
        if let grantTo {
            for database in ServiceDatabase.allCases {
                try await ServiceRoleGrants.grant(role: grantTo, url: configuration.databaseURL(database), logger: logger)
                print("\(database.rawValue): granted \(grantTo) row access (no DDL)")
            }
        }
    }
}
