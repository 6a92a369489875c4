import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import PostgresNIO
import Testing
import UserService

/// Registers a customer directly through the user service and returns its id.
func makeCustomer(_ services: MathFarmServices, email: String = "s\(UUID().uuidString.prefix(8).lowercased())@example.vn") async throws -> UUID {
    try await services.customerAuth.register(
        .init(email: email, password: "correct-horse-1", fullName: "Test Student", phone: nil),
        device: DeviceContext(ip: nil, userAgent: "test")
    ).user.id
}

func count(_ services: MathFarmServices, _ sql: String, _ id: UUID) async throws -> Int {
    let rows = try await services.pools[.payment].query(PostgresQueryHelper.bind(sql, id)).collectRows()
    return try rows.first.map { Int(try $0.decode(Int64.self)) } ?? 0
}

@Suite("Money ledger")
struct LedgerTests {
    @Test func concurrentHoldsNeverOverdraw() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 100_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await services.ledger.placeHold(
                                userID: user, amount: Money(dong: 1_000), reference: "hold-\(user)-\(index)",
                                expiresIn: .seconds(600), changedBy: "test"
                            )
                            return true
                        } catch let error as APIError where error.code == "insufficient_balance" {
                            return false
                        }
                    }
                }
                var results: [Bool] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(outcomes.filter { $0 }.count == 100)
            #expect(outcomes.filter { !$0 }.count == 100)
            let balance = try await services.ledger.balance(of: user)
            #expect(balance.available == .zero)
            #expect(balance.held == Money(dong: 100_000))
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check().isEmpty)
        }
    }

    @Test func settleTwiceGivesTheSameResultAndOneLogRow() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 50_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            let hold = try await services.ledger.placeHold(userID: user, amount: Money(dong: 2_000), reference: "job-\(user)", expiresIn: .seconds(60), changedBy: "test")
            let first = try await services.ledger.settle(holdID: hold.id, changedBy: "worker-1")
            let second = try await services.ledger.settle(holdID: hold.id, changedBy: "worker-2")
            #expect(first == HoldResolution(holdID: hold.id, status: .completed, firstTime: true))
            #expect(second == HoldResolution(holdID: hold.id, status: .completed, firstTime: false))
            // A late refund of a settled hold changes nothing and reports the settlement.
            let late = try await services.ledger.refund(holdID: hold.id, reason: "zombie", changedBy: "worker-3")
            #expect(late == HoldResolution(holdID: hold.id, status: .completed, firstTime: false))
            #expect(try await count(services, "SELECT count(*)::int8 FROM transaction_logs WHERE transaction_id = $1 AND new_status = 'completed'", hold.id) == 1)
            let balance = try await services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 48_000))
            #expect(balance.held == .zero)
            #expect(balance.totalSpent == Money(dong: 2_000))
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check().isEmpty)
        }
    }

    @Test func refundTwiceGivesTheSameResultAndOneLogRow() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 5_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            let hold = try await services.ledger.placeHold(userID: user, amount: Money(dong: 5_000), reference: "job-\(user)", expiresIn: .seconds(60), changedBy: "test")
            #expect(try await services.ledger.balance(of: user).available == .zero)
            let results = try await withThrowingTaskGroup(of: HoldResolution.self) { group in
                for _ in 0..<5 { group.addTask { try await services.ledger.refund(holdID: hold.id, reason: "failed", changedBy: "w") } }
                var results: [HoldResolution] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.filter(\.firstTime).count == 1)
            #expect(results.allSatisfy { $0.status == .refunded })
            #expect(try await count(services, "SELECT count(*)::int8 FROM transaction_logs WHERE transaction_id = $1 AND new_status = 'refunded'", hold.id) == 1)
            #expect(try await services.ledger.balance(of: user).available == Money(dong: 5_000))
            // Settling after the refund is refused silently: the money stays with the user.
            #expect(try await services.ledger.settle(holdID: hold.id, changedBy: "zombie").status == .refunded)
            #expect(try await services.ledger.balance(of: user).available == Money(dong: 5_000))
        }
    }

    @Test func placingTheSameReferenceTwiceReturnsTheFirstHold() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            let first = try await services.ledger.placeHold(userID: user, amount: Money(dong: 3_000), reference: "job-x-\(user)", expiresIn: .seconds(60), changedBy: "api")
            let again = try await services.ledger.placeHold(userID: user, amount: Money(dong: 3_000), reference: "job-x-\(user)", expiresIn: .seconds(60), changedBy: "api")
            #expect(first.created && !again.created && first.id == again.id)
            #expect(try await services.ledger.balance(of: user).held == Money(dong: 3_000))
            await #expect(throws: APIError.self) {
                try await services.ledger.placeHold(userID: user, amount: Money(dong: 4_000), reference: "job-x-\(user)", expiresIn: .seconds(60), changedBy: "api")
            }
        }
    }

    @Test func creditsAndDebitsAreIdempotentAndGuarded() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            let credit = try await services.ledger.credit(userID: user, amount: Money(dong: 7_000), reference: "c-\(user)", reason: "gift", changedBy: "test")
            let repeatCredit = try await services.ledger.credit(userID: user, amount: Money(dong: 7_000), reference: "c-\(user)", reason: "gift", changedBy: "test")
            #expect(credit.created && !repeatCredit.created && credit.transactionID == repeatCredit.transactionID)
            await #expect(throws: APIError.insufficientFunds) {
                try await services.ledger.debit(userID: user, amount: Money(dong: 7_001), reference: "d-\(user)", reason: "fix", changedBy: "test")
            }
            let debit = try await services.ledger.debit(userID: user, amount: Money(dong: 2_000), reference: "d2-\(user)", reason: "fix", changedBy: "test")
            #expect(debit.wallet.available == Money(dong: 5_000))
            await #expect(throws: APIError.self) {
                try await services.ledger.credit(userID: user, amount: .zero, reference: "z-\(user)", reason: "none", changedBy: "test")
            }
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check().isEmpty)
        }
    }

    @Test func expiredHoldsAreReportedThenRefunded() async throws {
        try await TestStack.withRunning(["MATHFARM_HOLD_GRACE": "0"]) { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 1_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            let hold = try await services.ledger.placeHold(userID: user, amount: Money(dong: 1_000), reference: "old-\(user)", expiresIn: .seconds(0), changedBy: "api")
            try await Task.sleep(for: .milliseconds(50))
            try await services.outboxRelay.drain()
            let violations = try await services.ledgerReconciler.check()
            #expect(violations.map(\.invariant) == [3])
            #expect(violations.first?.subject.contains(hold.id.uuidString.lowercased()) == true)
            #expect(try await services.ledger.refundExpiredHolds(grace: .zero) == 1)
            #expect(try await services.ledger.refundExpiredHolds(grace: .zero) == 0)
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check().isEmpty)
            #expect(try await services.ledger.balance(of: user).available == Money(dong: 1_000))
        }
    }
}

/// Binds one UUID into a query with a `$1` placeholder.
enum PostgresQueryHelper {
    static func bind(_ sql: String, _ id: UUID) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(id)
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
