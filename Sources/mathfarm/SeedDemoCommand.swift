import AdminService
import ArgumentParser
import ContentService
import Foundation
import MathFarmCore
import MathFarmHTTP
import UserService

/// `mathfarm seed-demo`: demo accounts for a local run. Safe to repeat.
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Create the demo customer (demo@mathfarm.vn) with 100,000 VND and the demo super admin (admin)."
    )

    static let customerEmail = "demo@mathfarm.vn"
    static let customerPassword = "demo-password-1"
    static let staffUsername = "admin"
    static let staffPassword = "admin-password-1"

    func run() async throws {
        // Demo accounts have passwords printed in the README: never on a real server.
        try ProcessSetup.requireDevelopment("mathfarm seed-demo")
        let logger = ProcessSetup.logger("mathfarm.seed")
        try await ProcessSetup.withServices(logger: logger) { services in
            let device = DeviceContext(ip: nil, userAgent: "mathfarm seed-demo")
            let userID: UUID
            do {
                userID = try await services.customerAuth.register(
                    .init(email: Self.customerEmail, password: Self.customerPassword, fullName: "Học sinh Demo", phone: nil),
                    device: device
                ).user.id
            } catch let error as APIError where error.code == "email_taken" {
                userID = try await services.customerAuth.login(email: Self.customerEmail, password: Self.customerPassword, device: device).user.id
            }
            _ = try await services.ledger.credit(
                userID: userID, amount: Money(dong: 100_000), reference: "demo-seed-credit",
                reason: "demo data", description: "Demo top-up", changedBy: "seed-demo"
            )
            do {
                _ = try await services.staffAccounts.create(.init(
                    username: Self.staffUsername, email: "admin@mathfarm.vn", fullName: "Quản trị Demo",
                    password: Self.staffPassword, isSuperAdmin: true, permissions: []
                ))
            } catch let error as APIError where error.code == "staff_exists" {}
            try await services.outboxRelay.drain()
            try await DemoContent.install(into: services.contentStore)
        }
        print("demo customer: \(Self.customerEmail) / \(Self.customerPassword) (100000.00 VND)")
        print("demo staff:    \(Self.staffUsername) / \(Self.staffPassword) (super admin)")
        print("demo content:  3 guides and 3 FAQs in vi/en (GET /api/v1/content/categories)")
    }
}
