import AdminService
import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import Testing

/// Staff views and staff management: every permission refuses staff without it, customers are
/// searched, deactivated (their sessions end) and re-roled, the catalog is repriced, statistics
/// read, and a super admin manages and unlocks staff.
@Suite("Admin views", .serialized)
struct AdminViewTests {
    @Test func everyPermissionIsEnforced() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "nobody")
            let nobody = try await staffToken(client, "nobody")
            let id = UUID()
            let checks: [(StaffPermission?, HTTPRequest.Method, String, String?)] = [
                (.usersRead, .get, "/api/v1/admin/users", nil),
                (.usersWrite, .post, "/api/v1/admin/users/\(id)/deactivate", nil),
                (.paymentsRefund, .post, "/api/v1/admin/deposits/\(id)/refund", #"{"reason":"x"}"#),
                (.paymentsAdjust, .post, "/api/v1/admin/users/\(id)/adjustments", #"{"amount":"1000.00","reason":"x"}"#),
                (.paymentsConfirm, .post, "/api/v1/admin/deposits/\(id)/confirm", nil),
                (.solutionsRead, .get, "/api/v1/admin/statistics", nil),
                (.solutionsRead, .get, "/api/v1/admin/solutions", nil),
                (.solutionsRerun, .post, "/api/v1/admin/solutions/\(id)/rerun", nil),
                (.usersRead, .get, "/api/v1/admin/transactions", nil),
                (.catalogWrite, .put, "/api/v1/admin/problems/quadratic_equation", #"{"price":"3000.00"}"#),
                (.contentWrite, .post, "/api/v1/admin/content/faqs", #"{"question":"q","answer":"a"}"#),
                (.settingsWrite, .get, "/api/v1/admin/settings", nil),
                (.auditRead, .get, "/api/v1/admin/audit-logs", nil),
                (nil, .get, "/api/v1/admin/staff", nil),
            ]
            for (permission, method, path, body) in checks {
                let refused = try await client.send(method, path, json: body, token: nobody)
                #expect(refused.status == 403, "\(permission?.rawValue ?? "super admin") \(path): \(refused.status)")
            }
            #expect(try await client.send(.get, "/api/v1/admin/users").status == 401)
        }
    }

    @Test func customersCatalogAndStatistics() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "manager", permissions: [.usersRead, .usersWrite, .catalogWrite, .solutionsRead])
            let manager = try await staffToken(client, "manager")
            let email = "tim\(UUID().uuidString.prefix(6).lowercased())@example.vn"
            _ = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: email, name: "Trần Thị Tìm"))
            let login = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"\#(email)","password":"correct-horse-1"}"#)
            let customerToken = try #require(login.string("access_token"))
            let found = try await client.send(.get, "/api/v1/admin/users?q=tìm", token: manager)
            let items = try #require(found.json["items"] as? [[String: Any]])
            let user = try #require(items.first?["id"] as? String)
            #expect(items.count == 1 && items.first?["email"] as? String == email)
            #expect(try await client.send(.put, "/api/v1/admin/users/\(user)/role", json: #"{"role":"premium_user"}"#, token: manager).status == 204)
            #expect(try await client.send(.put, "/api/v1/admin/users/\(user)/role", json: #"{"role":"emperor"}"#, token: manager).status == 422)
            #expect(try await client.send(.post, "/api/v1/admin/users/\(user)/deactivate", token: manager).status == 204)
            #expect(try await client.send(.get, "/api/v1/me", token: customerToken).status == 401)
            #expect(try await client.send(.post, "/api/v1/admin/users/\(user)/activate", token: manager).status == 204)
            let userID = try #require(UUID(uuidString: user))
            #expect(try await services.auditLog.count(entity: .user, entityID: userID, action: .update) == 3)

            let repriced = try await client.send(.put, "/api/v1/admin/problems/limit", json: #"{"price":"3500.00","timeout_seconds":20,"is_active":false}"#, token: manager)
            #expect(repriced.status == 200 && repriced.string("price") == "3500.00" && repriced.json["is_active"] as? Bool == false)
            let catalog = try await client.send(.get, "/api/v1/problems")
            #expect(!((catalog.json["problems"] as? [[String: Any]]) ?? []).contains { $0["code"] as? String == "limit" })
            #expect(try await client.send(.put, "/api/v1/admin/problems/limit", json: #"{"price":"-1.00"}"#, token: manager).status == 422)
            #expect(try await client.send(.put, "/api/v1/admin/problems/poetry", json: #"{"price":"1.00"}"#, token: manager).status == 404)
            let statistics = try await client.send(.get, "/api/v1/admin/statistics?from=2026-01-01&problem=quadratic_equation", token: manager)
            #expect(statistics.status == 200 && statistics.json["days"] is [Any])
            #expect(try await client.send(.get, "/api/v1/admin/statistics?from=yesterday", token: manager).status == 422)
        }
    }

    @Test func failedJobsAreListedAndReRun() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            defer { Task { await pool.stop() } }
            let (user, token) = try await pipeline.customer(balance: 20_000)
            try await makeStaff(pipeline.services, username: "operator", permissions: [.solutionsRead, .solutionsRerun, .usersRead])
            let staff = try await staffToken(pipeline.client, "operator")
            let failing = try await pipeline.submit(token, problem: "indefinite_integral", input: #"{"expression": "sin(x^2)"}"#)
            let failedID = try #require(failing.string("id"))
            #expect(try await pipeline.waitTerminal(failedID, token: token).string("status") == "failed")
            let solved = try await pipeline.submit(token, input: #"{"a": 1, "b": -3, "c": 2}"#)
            let solvedID = try #require(solved.string("id"))
            _ = try await pipeline.waitTerminal(solvedID, token: token)

            let listed = try await pipeline.client.send(.get, "/api/v1/admin/solutions?status=failed&user_id=\(user)", token: staff)
            #expect((listed.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.map { $0.lowercased() } == [failedID.lowercased()])
            #expect(try await pipeline.client.send(.post, "/api/v1/admin/solutions/\(solvedID)/rerun", token: staff).status == 409)
            let rerun = try await pipeline.client.send(.post, "/api/v1/admin/solutions/\(failedID)/rerun", token: staff)
            #expect(rerun.status == 202 && rerun.string("cost") == "5000.00")
            let again = try await pipeline.client.send(.post, "/api/v1/admin/solutions/\(failedID)/rerun", token: staff)
            #expect(again.string("id") == rerun.string("id"))
            let rerunID = try #require(rerun.string("id"))
            #expect(try await pipeline.waitTerminal(rerunID, token: token).string("status") == "failed")  // the same integrand fails again, refunded
            let holds = try await pipeline.client.send(.get, "/api/v1/admin/transactions?user_id=\(user)&type=solve_charge", token: staff)
            #expect((holds.json["items"] as? [[String: Any]])?.count == 3)
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 18_000))
            #expect(try await pipeline.violations() == [])
            await pool.stop()
        }
    }

    @Test func superAdminManagesStaffAndUnlocksThem() async throws {
        try await withAPI(["MATHFARM_TRUST_PROXY": "true"]) { client, services in
            try await makeStaff(services, username: "root2", superAdmin: true)
            let root = try await staffToken(client, "root2")
            let created = try await client.send(.post, "/api/v1/admin/staff", json: #"{"username":"clerk","email":"clerk@staff.mathfarm.vn","full_name":"Clerk","password":"staff-password-1","permissions":["users.read"]}"#, token: root)
            #expect(created.status == 201)
            let clerkID = try #require(created.string("id"))
            let clerk = try await staffToken(client, "clerk")
            #expect(try await client.send(.get, "/api/v1/admin/users", token: clerk).status == 200)
            #expect(try await client.send(.put, "/api/v1/admin/staff/\(clerkID)", json: #"{"permissions":["audit.read"]}"#, token: root).status == 204)
            #expect(try await client.send(.get, "/api/v1/admin/users", token: clerk).status == 403)
            #expect(try await client.send(.get, "/api/v1/admin/audit-logs", token: clerk).status == 200)
            // Five wrong passwords from one address hold it back; the super admin lifts that.
            let address: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.50"]
            for _ in 0..<5 {
                _ = try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"clerk","password":"wrong-password-000"}"#, headers: address)
            }
            let locked = try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"clerk","password":"staff-password-1"}"#, headers: address)
            #expect(locked.status == 429 && locked.errorCode == "too_many_login_attempts")
            #expect(try await client.send(.post, "/api/v1/admin/staff/\(clerkID)/unlock", token: root).status == 204)
            #expect(try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"clerk","password":"staff-password-1"}"#, headers: address).status == 200)
            // Deactivated staff tokens stop working at once.
            #expect(try await client.send(.put, "/api/v1/admin/staff/\(clerkID)", json: #"{"is_active":false}"#, token: root).status == 204)
            #expect(try await client.send(.get, "/api/v1/admin/audit-logs", token: clerk).status == 401)
            let list = try await client.send(.get, "/api/v1/admin/staff", token: root)
            #expect((list.json["staff"] as? [[String: Any]])?.first { $0["username"] as? String == "clerk" }?["is_active"] as? Bool == false)
            let rootID = try #require((list.json["staff"] as? [[String: Any]])?.first { $0["username"] as? String == "root2" }?["id"] as? String)
            #expect(try await client.send(.put, "/api/v1/admin/staff/\(rootID)", json: #"{"is_active":false}"#, token: root).status == 409)
        }
    }
}
