import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

@Suite("Money ledger in batches")
struct LedgerBatchTests {
    @Test func eachHoldOfABatchIsDecidedOnItsOwn() async throws {
        try await TestStack.withRunning { services in
            let (rich, poor) = (try await makeCustomer(services), try await makeCustomer(services))
            _ = try await services.ledger.credit(userID: rich, amount: Money(dong: 5_000), reference: "seed-\(rich)", reason: "test", changedBy: "test")
            _ = try await services.ledger.credit(userID: poor, amount: Money(dong: 1_000), reference: "seed-\(poor)", reason: "test", changedBy: "test")
            func hold(_ user: UUID, _ dong: Int64, _ reference: String) -> HoldRequest {
                HoldRequest(userID: user, amount: Money(dong: dong), reference: reference, expiresIn: .seconds(600))
            }
            let outcomes = try await services.ledger.placeHolds([
                hold(rich, 2_000, "r1"),
                hold(poor, 2_000, "p1"),  // short: refused alone
                hold(rich, 2_000, "r2"),
                hold(rich, 2_000, "r3"),  // 1,000 left: refused
                hold(rich, 2_000, "r1"),  // a repeat inside the batch: the first hold
                hold(rich, 3_000, "r1"),  // the same reference with another amount
            ], changedBy: "test")
            guard case .placed(let first) = outcomes[0], case .placed(let second) = outcomes[2], case .placed(let repeated) = outcomes[4] else {
                Issue.record("unexpected outcomes \(outcomes)")
                return
            }
            #expect(first.created && second.created && !repeated.created && repeated.id == first.id)
            #expect(outcomes[1] == .insufficientFunds && outcomes[3] == .insufficientFunds)
            #expect(outcomes[5] == .referenceConflict)
            let wallet = try await services.ledger.balance(of: rich)
            #expect(wallet.available == Money(dong: 1_000) && wallet.held == Money(dong: 4_000))
            #expect(try await services.ledger.balance(of: poor).available == Money(dong: 1_000))
            // A later batch finds the holds by reference (its first, optimistic attempt hits the
            // unique reference and rolls back whole; the new hold beside it is placed once).
            let again = try await services.ledger.placeHolds([hold(rich, 2_000, "r2"), hold(rich, 500, "r4")], changedBy: "test")
            guard case .placed(let found)? = again.first, case .placed(let added)? = again.last else {
                Issue.record("the repeat found nothing: \(again)")
                return
            }
            #expect(found.id == second.id && found.status == .pending && !found.created)
            #expect(added.created)
            let after = try await services.ledger.balance(of: rich)
            #expect(after.available == Money(dong: 500) && after.held == Money(dong: 4_500))
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }

    @Test func aBatchOfResolutionsResolvesEachHoldOnce() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
            var holds: [Hold] = []
            for index in 0..<3 {
                holds.append(try await services.ledger.placeHold(
                    userID: user, amount: Money(dong: 1_000), reference: "h\(index)-\(user)", expiresIn: .seconds(600), changedBy: "test"
                ))
            }
            let resolved = try await services.ledger.resolveHolds([
                .init(holdID: holds[0].id, target: .settle, reason: "ok"),
                .init(holdID: holds[1].id, target: .refund, reason: "failed"),
                .init(holdID: holds[0].id, target: .refund, reason: "a repeat: the first request wins"),
                .init(holdID: holds[2].id, target: .settle, reason: "ok"),
                .init(holdID: UUID(), target: .settle, reason: "no such hold"),
            ], changedBy: "test")
            #expect(resolved.count == 3)
            #expect(resolved[holds[0].id] == HoldResolution(holdID: holds[0].id, status: .completed, firstTime: true))
            #expect(resolved[holds[1].id] == HoldResolution(holdID: holds[1].id, status: .refunded, firstTime: true))
            // Resolving again changes nothing and reports the first resolution.
            let repeated = try await services.ledger.resolveHolds([.init(holdID: holds[0].id, target: .refund, reason: "late")], changedBy: "test")
            #expect(repeated[holds[0].id] == HoldResolution(holdID: holds[0].id, status: .completed, firstTime: false))
            let balance = try await services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 8_000) && balance.held == .zero && balance.totalSpent == Money(dong: 2_000))
            let statuses = try await services.ledger.holdStatuses(holds.map(\.id))
            #expect(statuses.values.allSatisfy { $0.resolutions == 1 })
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }

    /// A worker's completer can hand over hundreds of attempts at once after a stall: one
    /// batch of 400 holds over 100 wallets is placed and resolved whole.
    @Test func aLargeBatchIsPlacedAndResolvedWhole() async throws {
        try await TestStack.withRunning { services in
            var users: [UUID] = []
            for _ in 0..<100 {
                let user = try await makeCustomer(services)
                _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
                users.append(user)
            }
            let requests = (0..<400).map { index in
                HoldRequest(userID: users[index % 100], amount: Money(dong: 2_000), reference: "large-\(index)", expiresIn: .seconds(600))
            }
            let holds = try await services.ledger.placeHolds(requests, changedBy: "test").compactMap { outcome -> Hold? in
                if case .placed(let hold) = outcome { return hold }
                return nil
            }
            #expect(holds.count == 400)
            // Each wallet's four holds: two settled, two refunded.
            let resolved = try await services.ledger.resolveHolds(holds.enumerated().map { index, hold in
                HoldResolutionRequest(holdID: hold.id, target: (index / 100) % 2 == 0 ? .settle : .refund, reason: "test")
            }, changedBy: "test")
            #expect(resolved.values.filter(\.firstTime).count == 400)
            for user in users.prefix(3) {
                let balance = try await services.ledger.balance(of: user)
                #expect(balance.available == Money(dong: 6_000) && balance.held == .zero && balance.totalSpent == Money(dong: 4_000))
            }
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }

    /// Batches of holds and of resolutions over the same wallets, all at once: wallets are
    /// locked in id order, so nothing deadlocks, nothing overdraws, every total stays exact.
    @Test func concurrentBatchesNeverOverdrawOrDeadlock() async throws {
        try await TestStack.withRunning { services in
            var users: [UUID] = []
            for _ in 0..<6 {
                let user = try await makeCustomer(services)
                _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
                users.append(user)
            }
            let ledger = services.ledger
            let wallets = users
            let placed = try await withThrowingTaskGroup(of: Int.self) { group in
                for batch in 0..<24 {
                    group.addTask {
                        // Each batch touches every wallet, in a different order.
                        let requests = (0..<6).map { index in
                            HoldRequest(
                                userID: wallets[(index + batch) % 6], amount: Money(dong: 1_000),
                                reference: "b\(batch)-\(index)", expiresIn: .seconds(600)
                            )
                        }
                        let holds = try await ledger.placeHolds(requests, changedBy: "test").compactMap { outcome -> Hold? in
                            if case .placed(let hold) = outcome { return hold }
                            return nil
                        }
                        // Settle every other one, refund the rest, in one batch.
                        _ = try await ledger.resolveHolds(holds.enumerated().map { index, hold in
                            HoldResolutionRequest(holdID: hold.id, target: index % 2 == 0 ? .settle : .refund, reason: "test")
                        }, changedBy: "test")
                        return holds.count
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(placed.reduce(0, +) > 0)
            var spent = Money.zero
            for user in users {
                let balance = try await services.ledger.balance(of: user)
                #expect(balance.held == .zero)
                #expect(balance.available + balance.totalSpent == Money(dong: 10_000))
                spent = spent + balance.totalSpent
            }
            // Each batch settled the holds at its even positions: ⌈placed / 2⌉ of 1,000 each.
            let settled = placed.reduce(0) { $0 + ($1 + 1) / 2 }
            #expect(spent == Money(dong: 1_000 * Int64(settled)))
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }
}
