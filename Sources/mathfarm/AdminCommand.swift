import AdminService
import ArgumentParser
import Foundation
import MathFarmHTTP

/// `mathfarm admin create`: bootstraps a staff account (the password is read from stdin);
/// `mathfarm admin unlock`: lifts the login delays of a staff account, whoever caused them.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage staff accounts.", subcommands: [Create.self, Unlock.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account. Reads the password (12-72 bytes) from the first line of stdin."
        )

        @Option(help: "Login name.") var username: String
        @Option(help: "Email address.") var email: String
        @Option(name: .customLong("full-name"), help: "Display name.") var fullName: String
        @Flag(name: .customLong("super-admin"), help: "Grant every permission and staff management.") var superAdmin = false
        @Option(name: .customLong("permission"), help: "A permission to grant (repeatable), e.g. payments.adjust.")
        var permissions: [String] = []

        func run() async throws {
            let parsed = try permissions.map { name -> StaffPermission in
                guard let permission = StaffPermission(rawValue: name) else {
                    throw ValidationError("unknown permission \(name); known: \(StaffPermission.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return permission
            }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("expected the password on stdin")
            }
            let logger = ProcessSetup.logger("mathfarm.admin")
            let staff = StaffAccounts.NewStaff(
                username: username, email: email, fullName: fullName, password: password,
                isSuperAdmin: superAdmin, permissions: parsed
            )
            let profile = try await ProcessSetup.withServices(logger: logger) { services in
                try await services.staffAccounts.create(staff)
            }
            print("created staff account \(profile.username) (\(profile.id.uuidString.lowercased()))\(profile.isSuperAdmin ? " as super admin" : "")")
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift every login delay of a staff account (e.g. a super admin kept out by someone guessing its password)."
        )

        @Argument(help: "The account's user name or email.") var login: String

        func run() async throws {
            let logger = ProcessSetup.logger("mathfarm.admin")
            let login = self.login
            let unlocked = try await ProcessSetup.withServices(logger: logger) { services in
                let id = try await services.staffAccounts.unlock(login: login)
                if let id {
                    try await services.auditLog.ensurePartitions()
                    try await services.auditLog.record(.init(
                        staffID: nil, action: .unlock, entity: .adminUser, entityID: id, newValues: ["by": "mathfarm admin unlock"]
                    ))
                }
                return id
            }
            guard let id = unlocked else { throw ValidationError("no staff account \(login)") }
            print("unlocked staff account \(login) (\(id.uuidString.lowercased()))")
        }
    }
}
