import AdminService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

@Suite("Idempotency-Key crash paths")
struct IdempotencyCrashTests {
    /// The first attempt moved the money and died before storing its response (or writing the
    /// audit row). The retry, once the key's lock has expired, must not move money again.
    @Test func retryAfterACrashBetweenLedgerAndResponseMovesMoneyOnce() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "finance", permissions: [.paymentsAdjust])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "crash@example.vn"))
            let userID = try #require(customer.string("user", "id").flatMap(UUID.init(uuidString:)))
            let staff = try await staffToken(client, "finance")
            let staffRows = try await services.pools[.admin].query("SELECT id FROM admin_users WHERE username = 'finance'").collectRows()
            let staffID = try #require(try staffRows.first?.decode(UUID.self))
            let body = #"{"amount":"12000","reason":"crash test"}"#
            let scope = AdminRoutes.adjustmentScope(staffID: staffID, userID: userID)

            // The dead first attempt: key taken (lock already expired), money moved, nothing else.
            _ = try await services.ledger.credit(
                userID: userID, amount: Money(dong: 12_000), reference: AdminRoutes.adjustmentReference(scope: scope, key: "k-crash"),
                reason: "crash test", description: "crash test", changedBy: "staff:finance"
            )
            try await services.pools[.payment].query("""
                INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, locked_until)
                VALUES (\(scope), 'k-crash', \(SecretToken.sha256Hex(body)), now() - interval '1 second')
                """)

            let retry = try await client.send(
                .post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: staff,
                headers: [HTTPField.Name("Idempotency-Key")!: "k-crash"]
            )
            #expect(retry.status == 201)
            #expect(retry.string("balance", "available") == "12000.00")
            let transactions = try await services.ledger.transactions(of: userID, limit: 10, offset: 0)
            #expect(transactions.total == 1)
            #expect(try await services.auditLog.count(entity: .wallet, entityID: userID, action: .balanceAdjustment) == 1)

            // And the stored response now replays.
            let again = try await client.send(
                .post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: staff,
                headers: [HTTPField.Name("Idempotency-Key")!: "k-crash"]
            )
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(again.body == retry.body)
        }
    }

    @Test func aKeyStillHeldByALiveRequestIsAConflict() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "finance", permissions: [.paymentsAdjust])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "busy@example.vn"))
            let userID = try #require(customer.string("user", "id").flatMap(UUID.init(uuidString:)))
            let staff = try await staffToken(client, "finance")
            let staffRows = try await services.pools[.admin].query("SELECT id FROM admin_users WHERE username = 'finance'").collectRows()
            let staffID = try #require(try staffRows.first?.decode(UUID.self))
            let body = #"{"amount":"100","reason":"busy"}"#
            try await services.pools[.payment].query("""
                INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, locked_until)
                VALUES (\(AdminRoutes.adjustmentScope(staffID: staffID, userID: userID)), 'k-busy', \(SecretToken.sha256Hex(body)), now() + interval '30 seconds')
                """)
            let busy = try await client.send(
                .post, "/api/v1/admin/users/\(userID)/adjustments", json: body, token: staff,
                headers: [HTTPField.Name("Idempotency-Key")!: "k-busy"]
            )
            #expect(busy.status == 409)
            #expect(busy.errorCode == "idempotency_in_progress")
            #expect(try await services.ledger.balance(of: userID).available == .zero)
        }
    }

    @Test func concurrentDuplicatesMoveMoneyOnce() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "finance", permissions: [.paymentsAdjust])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "race@example.vn"))
            let userID = try #require(customer.string("user", "id").flatMap(UUID.init(uuidString:)))
            let staff = try await staffToken(client, "finance")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.send(
                            .post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"700","reason":"race"}"#, token: staff,
                            headers: [HTTPField.Name("Idempotency-Key")!: "k-race"]
                        ).status
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 })
            #expect(statuses.contains(201))
            #expect(try await services.ledger.balance(of: userID).available == Money(dong: 700))
            #expect(try await services.ledger.transactions(of: userID, limit: 10, offset: 0).total == 1)
        }
    }

    /// A failed first attempt (here: insufficient funds) releases the key, so a later request
    /// with the same key and body is evaluated afresh.
    @Test func aFailedAttemptReleasesTheKey() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "finance", permissions: [.paymentsAdjust])
            let customer = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "retry@example.vn"))
            let userID = try #require(customer.string("user", "id").flatMap(UUID.init(uuidString:)))
            let staff = try await staffToken(client, "finance")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "k-debit"]
            let refused = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"-50","reason":"fee"}"#, token: staff, headers: key)
            #expect(refused.status == 402)
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 100), reference: "top-\(userID)", reason: "t", changedBy: "t")
            let accepted = try await client.send(.post, "/api/v1/admin/users/\(userID)/adjustments", json: #"{"amount":"-50","reason":"fee"}"#, token: staff, headers: key)
            #expect(accepted.status == 201)
            #expect(accepted.string("balance", "available") == "50.00")
        }
    }
}
