import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import PostgresNIO
import Testing
import UserService

@Suite("Reconciliation and the user_balance projection")
struct ReconcileTests {
    /// A user with some history: a credit, a settled hold, a refunded hold and an open hold.
    func busyUser(_ services: MathFarmServices) async throws -> UUID {
        let user = try await makeCustomer(services)
        _ = try await services.ledger.credit(userID: user, amount: Money(dong: 20_000), reference: "seed-\(user)", reason: "test", changedBy: "test")
        let a = try await services.ledger.placeHold(userID: user, amount: Money(dong: 1_000), reference: "a-\(user)", expiresIn: .seconds(600), changedBy: "t")
        let b = try await services.ledger.placeHold(userID: user, amount: Money(dong: 2_000), reference: "b-\(user)", expiresIn: .seconds(600), changedBy: "t")
        _ = try await services.ledger.placeHold(userID: user, amount: Money(dong: 3_000), reference: "c-\(user)", expiresIn: .seconds(600), changedBy: "t")
        _ = try await services.ledger.settle(holdID: a.id, changedBy: "t")
        _ = try await services.ledger.refund(holdID: b.id, reason: "failed", changedBy: "t")
        return user
    }

    @Test func greenAfterNormalOperation() async throws {
        try await TestStack.withRunning { services in
            _ = try await busyUser(services)
            _ = try await busyUser(services)
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }

    @Test func corruptedWalletTotalsAreReported() async throws {
        try await TestStack.withRunning { services in
            let user = try await busyUser(services)
            try await services.outboxRelay.drain()
            try await services.pools[.payment].query("UPDATE wallets SET held = held + 1 WHERE user_id = \(user)")
            let violations = try await services.ledgerReconciler.check()
            #expect(violations.contains { $0.invariant == 1 && $0.detail.contains("available + held") })
            #expect(violations.contains { $0.invariant == 1 && $0.detail.contains("pending solve charges") })
        }
    }

    @Test func snapshotGapIsReported() async throws {
        try await TestStack.withRunning { services in
            let user = try await busyUser(services)
            try await services.outboxRelay.drain()
            try await services.pools[.payment].query("DELETE FROM balances WHERE user_id = \(user) AND wallet_version = 2")
            let violations = try await services.ledgerReconciler.check()
            #expect(violations.contains { $0.invariant == 4 && $0.detail.contains("gap") })
        }
    }

    @Test func projectionDriftIsReported() async throws {
        try await TestStack.withRunning { services in
            let user = try await busyUser(services)
            try await services.outboxRelay.drain()
            try await services.pools[.user].query("UPDATE user_balance SET current_balance = current_balance + 5 WHERE user_id = \(user)")
            let violations = try await services.ledgerReconciler.check()
            #expect(violations.count == 1)
            #expect(violations.first?.invariant == 4)
            #expect(violations.first?.subject.hasPrefix("user_balance") == true)
        }
    }

    @Test func projectionEqualsWalletAfterRelay() async throws {
        try await TestStack.withRunning { services in
            let user = try await busyUser(services)
            #expect(try await services.outboxRelay.backlog() > 0)
            try await services.outboxRelay.drain()
            #expect(try await services.outboxRelay.backlog() == 0)
            let wallet = try await services.ledger.balance(of: user)
            let projected = try await services.balanceProjection.allStates()[user]
            #expect(projected?.available == wallet.available)
            #expect(projected?.held == wallet.held)
            #expect(projected?.totalDeposited == wallet.totalDeposited)
            #expect(projected?.totalSpent == wallet.totalSpent)
        }
    }


    /// Counts deliveries and dies after `limit` of them, like a relay process killed mid-batch.
    final class CrashingDelivery: @unchecked Sendable {
        let lock = NSLock()
        var delivered = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func next() throws {
            try lock.withLock {
                guard delivered < limit else { throw SimulatedCrash() }
                delivered += 1
            }
        }
    }

    @Test func projectionConvergesAfterRelayKilledMidBatch() async throws {
        try await TestStack.withRunning { services in
            let users = [try await busyUser(services), try await busyUser(services)]
            let crash = CrashingDelivery(limit: 5)
            let projection = services.balanceProjection
            // The relay dies while delivering its batch: 5 states have reached user_balance.
            let dying = OutboxRelay(database: services.pools[.payment], batchSize: 100) { states in
                for state in states {
                    try crash.next()
                    try await projection.apply(state)
                }
            }
            await #expect(throws: SimulatedCrash.self) { try await dying.relayBatch() }
            // The batch rolled back: every event is still waiting, though 5 reached user_balance.
            #expect(try await services.outboxRelay.backlog() == 2 * 6)
            #expect(crash.delivered == 5)
            // Projection is partially updated but not marked; invariant 4 skips users with pending events.
            #expect(try await services.ledgerReconciler.check() == [])
            try await services.outboxRelay.drain()
            #expect(try await services.ledgerReconciler.check() == [])
            for user in users {
                let wallet = try await services.ledger.balance(of: user)
                #expect(try await services.balanceProjection.allStates()[user]?.available == wallet.available)
            }
        }
    }

    /// The periodic tick relays one batch and keeps going only while batches come back full.
    @Test func theRelayTickGoesOnOnlyThroughFullBatches() async throws {
        try await TestStack.withRunning { services in
            let users = [try await busyUser(services), try await busyUser(services)]
            let sizes = BatchSizes()
            let projection = services.balanceProjection
            let relay = OutboxRelay(database: services.pools[.payment], batchSize: 5) { states in
                sizes.append(states.count)
                try await projection.apply(states)
            }
            try await relay.relayPending()
            #expect(sizes.all == [5, 5, 2])
            #expect(try await services.outboxRelay.backlog() == 0)
            _ = try await services.ledger.credit(userID: users[0], amount: Money(dong: 1), reference: "late-\(users[0])", reason: "test", changedBy: "test")
            try await relay.relayPending()
            #expect(sizes.all == [5, 5, 2, 1])
            #expect(try await services.ledgerReconciler.check() == [])
        }
    }

    final class BatchSizes: @unchecked Sendable {
        private let lock = NSLock()
        private var sizes: [Int] = []
        func append(_ size: Int) { lock.withLock { sizes.append(size) } }
        var all: [Int] { lock.withLock { sizes } }
    }

    @Test func replayedOrOutOfOrderEventsAreIgnored() async throws {
        try await TestStack.withRunning { services in
            let user = try await makeCustomer(services)
            let newer = WalletState(userID: user, available: Money(dong: 9), held: .zero, totalDeposited: Money(dong: 9), totalSpent: .zero, version: 3, changedAt: Date())
            let older = WalletState(userID: user, available: Money(dong: 1), held: .zero, totalDeposited: Money(dong: 1), totalSpent: .zero, version: 2, changedAt: Date())
            #expect(try await services.balanceProjection.apply(newer) == .applied)
            #expect(try await services.balanceProjection.apply(older) == .stale)
            #expect(try await services.balanceProjection.apply(newer) == .stale)
            #expect(try await services.balanceProjection.allStates()[user]?.available == Money(dong: 9))
        }
    }
}

@Suite("Session housekeeping")
struct SessionTests {
    @Test func logoutEndsTheSessionAtOnceDespiteTheCache() async throws {
        try await TestStack.withRunning { services in
            let result = try await services.customerAuth.register(
                .init(email: "cache-logout@example.vn", password: "correct-horse-1", fullName: "Cache", phone: nil),
                device: DeviceContext(ip: "192.0.2.11", userAgent: "test")
            )
            let principal = try await services.customerAuth.authenticate(bearer: result.tokens.accessToken)
            #expect(services.sessionCache.entry(session: principal.sessionID, user: principal.userID) != nil)
            try await services.customerAuth.logout(principal)
            #expect(services.sessionCache.entry(session: principal.sessionID, user: principal.userID) == nil)
            await #expect(throws: APIError.unauthorized) { try await services.customerAuth.authenticate(bearer: result.tokens.accessToken) }
        }
    }

    @Test func expiredSessionsAreSweptAndStopWorking() async throws {
        try await TestStack.withRunning { services in
            let result = try await services.customerAuth.register(
                .init(email: "sweep@example.vn", password: "correct-horse-1", fullName: "Sweep", phone: nil),
                device: DeviceContext(ip: "192.0.2.10", userAgent: "test")
            )
            let principal = try await services.customerAuth.authenticate(bearer: result.tokens.accessToken)
            // Ended behind this process's back (as another API process would): refused once the
            // session cache's lifetime has passed.
            try await services.pools[.user].query("UPDATE user_sessions SET expires_at = now() - interval '1 minute' WHERE id = \(principal.sessionID)")
            try await Task.sleep(for: services.sessionCache.lifetime)
            await #expect(throws: APIError.unauthorized) { try await services.customerAuth.authenticate(bearer: result.tokens.accessToken) }
            try await services.customerAuth.sweepExpired()
            let left = try await services.pools[.user].query("SELECT count(*)::int8 FROM user_sessions").collectRows()
            #expect(try left.first?.decode(Int64.self) == 0)
        }
    }

    @Test func sessionsRecordTheClient() async throws {
        try await TestStack.withRunning { services in
            let result = try await services.customerAuth.register(
                .init(email: "device@example.vn", password: "correct-horse-1", fullName: "Device", phone: "+84 912 345 678"),
                device: DeviceContext(ip: "192.0.2.10", userAgent: "MathFarmApp/1.0", deviceName: "Lan's phone")
            )
            #expect(result.user.phone == "+84 912 345 678")
            let rows = try await services.pools[.user].query("""
                SELECT host(ip_address), user_agent, device_info->>'name', refresh_token, expires_at > now() + interval '29 days'
                FROM user_sessions
                """).collectRows()
            let (ip, agent, name, storedRefresh, longLived) = try #require(rows.first).decode((String, String, String, String, Bool).self)
            #expect(ip == "192.0.2.10" && agent == "MathFarmApp/1.0" && name == "Lan's phone" && longLived)
            // Only the hash of the refresh token is stored.
            #expect(storedRefresh != result.tokens.refreshToken)
            #expect(storedRefresh == SecretToken.sha256Hex(result.tokens.refreshToken))
        }
    }
}
