import AdminService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

func makeStaff(_ services: MathFarmServices, username: String, superAdmin: Bool = false, permissions: [StaffPermission] = []) async throws {
    _ = try await services.staffAccounts.create(.init(
        username: username, email: "\(username)@staff.mathfarm.vn", fullName: "Staff \(username)",
        password: "staff-password-1", isSuperAdmin: superAdmin, permissions: permissions
    ))
}

func staffToken(_ client: any TestClientProtocol, _ username: String) async throws -> String {
    let login = try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"\#(username)","password":"staff-password-1"}"#)
    return try #require(login.string("access_token"))
}

@Suite("Staff accounts and wallet adjustments")
struct StaffAPITests {
    /// Five wrong passwords from one address hold that address back (5 s, then doubling) while the
    /// owner's own address is not held back; the delay refuses even the right password.
    @Test func staffBackoffAfterFiveFailuresFromOneAddress() async throws {
        try await withAPI(["MATHFARM_TRUST_PROXY": "true"]) { client, services in
            try await makeStaff(services, username: "cashier")
            let attacker: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
            let owner: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.20"]
            for _ in 0..<5 {
                let wrong = try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"cashier","password":"not-the-password"}"#, headers: attacker)
                #expect(wrong.status == 401)
            }
            let held = try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"cashier","password":"staff-password-1"}"#, headers: attacker)
            #expect(held.status == 429)
            #expect(held.errorCode == "too_many_login_attempts")
            let retryAfter = try #require(held.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter >= 1 && retryAfter <= 5)
            let idRows = try await services.pools[.admin].query("SELECT id FROM admin_users WHERE username = 'cashier'").collectRows()
            let staffID = try #require(try idRows.first?.decode(UUID.self))
            #expect(try await services.auditLog.count(entity: .adminUser, entityID: staffID, action: .loginFailed) == 5)
            // The owner, from elsewhere, is not held back by the attacker's failures.
            #expect(try await client.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"cashier","password":"staff-password-1"}"#, headers: owner).status == 200)
        }
    }

    @Test func adjustmentsNeedThePermissionAndAStaffToken() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "reader", permissions: [.usersRead])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "cust@example.vn"))
            let userID = try #require(customer.string("user", "id"))
            let customerToken = try #require(customer.string("access_token"))
            let reader = try await staffToken(client, "reader")
            let body = #"{"amount":"5000","reason":"goodwill"}"#
            let denied = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: reader)
            #expect(denied.status == 403)
            #expect(denied.errorCode == "forbidden")
            let customerTry = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: customerToken)
            #expect(customerTry.status == 401)
            // And a staff token does not open customer endpoints.
            #expect(try await client.send(.get, "/api/v1/me", token: reader).status == 401)
        }
    }

    @Test func adjustmentIsIdempotentAuditedAndVisibleToTheCustomer() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "finance", permissions: [.paymentsAdjust])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "topup@example.vn"))
            let userID = try #require(customer.string("user", "id"))
            let customerToken = try #require(customer.string("access_token"))
            let staff = try await staffToken(client, "finance")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "adj-001"]
            let body = #"{"amount":"25000.50","reason":"bank transfer matched by hand"}"#
            let first = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: staff, headers: key)
            #expect(first.status == 201)
            #expect(first.string("balance", "available") == "25000.50")
            let replay = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: staff, headers: key)
            #expect(replay.status == 201)
            #expect(replay.body == first.body)
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let conflicting = try await client.send(
                .post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"99","reason":"other"}"#, token: staff, headers: key
            )
            #expect(conflicting.status == 422)
            #expect(conflicting.errorCode == "idempotency_key_reused")

            let debit = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"-500.50","reason":"correction"}"#, token: staff)
            #expect(debit.status == 201)
            let overdraw = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"-1000000","reason":"too much"}"#, token: staff)
            #expect(overdraw.status == 402)
            #expect(overdraw.errorCode == "insufficient_balance")

            let balance = try await client.send(.get, "/api/v1/me/balance", token: customerToken)
            #expect(balance.string("available") == "24500.00")
            let history = try await client.send(.get, "/api/v1/me/transactions?limit=10", token: customerToken)
            #expect((history.json["items"] as? [[String: Any]])?.count == 2)
            #expect(history.json["total"] as? Int == 2)
            let userUUID = try #require(UUID(uuidString: userID))
            #expect(try await services.auditLog.count(entity: .wallet, entityID: userUUID, action: .balanceAdjustment) == 2)

            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check().isEmpty)
        }
    }

    @Test func adjustmentInputIsValidated() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "boss", superAdmin: true)
            let staff = try await staffToken(client, "boss")
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "v@example.vn"))
            let userID = try #require(customer.string("user", "id"))
            let path = "/api/v1/admin/users/\(userID)/adjustments"
            #expect(try await client.send(.post, path, json: #"{"amount":"0","reason":"x"}"#, token: staff).status == 422)
            #expect(try await client.send(.post, path, json: #"{"amount":"1.234","reason":"x"}"#, token: staff).status == 422)
            #expect(try await client.send(.post, path, json: #"{"amount":12.5,"reason":"x"}"#, token: staff).status == 422)
            #expect(try await client.send(.post, path, json: #"{"amount":"2000000000","reason":"x"}"#, token: staff).status == 422)
            #expect(try await client.send(.post, path, json: #"{"amount":"10","reason":"  "}"#, token: staff).status == 422)
            #expect(try await client.send(.post, path, json: #"{"amount":"10","reason":"x"}"#, token: staff, headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 300)]).status == 400)
            #expect(try await client.send(.post, "/api/v1/admin/users/\(UUID())/adjustments", json: #"{"amount":"10","reason":"x"}"#, token: staff).status == 404)
            #expect(try await client.send(.post, "/api/v1/admin/users/not-a-uuid/adjustments", json: #"{"amount":"10","reason":"x"}"#, token: staff).status == 404)
            #expect(try await client.send(.get, "/api/v1/me/transactions?limit=1000", token: customer.string("access_token")).status == 422)
        }
    }
}
