import AdminService
import Foundation
import MathFarmCore
import MathFarmHTTP
import Testing

/// The audit trail: searchable by staff with `audit.read` only, partitions ahead of time, and
/// two-year retention by dropping old partitions.
@Suite("Audit trail", .serialized)
struct AuditTrailTests {
    @Test func searchFiltersAndPermission() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "auditor", permissions: [.auditRead])
            try await makeStaff(services, username: "editor2", permissions: [.contentWrite])
            let auditor = try await staffToken(client, "auditor")
            let editor = try await staffToken(client, "editor2")
            #expect(try await client.send(.get, "/api/v1/admin/audit-logs", token: editor).status == 403)
            let created = try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"Hình học","slug":"hinh-hoc"}"#, token: editor)
            let categoryID = try #require(created.string("id"))
            let all = try await client.send(.get, "/api/v1/admin/audit-logs?limit=50", token: auditor)
            #expect(all.status == 200 && (all.json["total"] as? Int ?? 0) >= 3)  // two logins and the create
            let filtered = try await client.send(.get, "/api/v1/admin/audit-logs?entity=category&action=create&entity_id=\(categoryID)", token: auditor)
            let items = try #require(filtered.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["entity_id"] as? String == categoryID.uppercased())
            #expect(filtered.json["total"] as? Int == 1)
            let logins = try await client.send(.get, "/api/v1/admin/audit-logs?action=login&from=2000-01-01T00:00:00Z", token: auditor)
            #expect(logins.json["total"] as? Int == 2)
            #expect(try await client.send(.get, "/api/v1/admin/audit-logs?from=yesterday", token: auditor).status == 422)
        }
    }

    @Test func everyMoneyMovementIsAuditedOnceEvenWhenRedelivered() async throws {
        let stack = try await TestStack.make()
        try await stack.run { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10_000), reference: "audit-\(user)", reason: "test", changedBy: "test")
            let hold = try await services.ledger.placeHold(userID: user, amount: Money(dong: 2_000), reference: "audit-hold-\(user)", expiresIn: .seconds(60), changedBy: "test")
            _ = try await services.ledger.settle(holdID: hold.id, changedBy: "test")
            try await services.outboxRelay.drain()
            #expect(try await services.auditLog.count(entity: .wallet, entityID: user, action: .update) == 3)
            // Each entry shows the totals before and after: the settlement moves 2,000 from held to spent.
            let entries = try await services.auditLog.search(.init(entity: "wallet", entityID: user), limit: 10, offset: 0).items
            let settled = try #require(entries.first { $0.newValues?["version"] == .string("3") })
            #expect(settled.oldValues?["held"] == .string("2000.00") && settled.newValues?["held"] == .string("0.00"))
            #expect(settled.oldValues?["total_spent"] == .string("0.00") && settled.newValues?["total_spent"] == .string("2000.00"))
            #expect(settled.oldValues?["version"] == .string("2"))
            #expect(settled.newValues?["transaction_id"] == .string(hold.id.uuidString.lowercased()))
            // The relay delivers at least once: a replay of every event adds nothing.
            try await services.pools[.payment].query("UPDATE outbox SET published_at = NULL WHERE aggregate_id = \(user)")
            try await services.outboxRelay.drain()
            #expect(try await services.auditLog.count(entity: .wallet, entityID: user, action: .update) == 3)
        }
    }

    @Test func partitionsAheadAndRetention() async throws {
        let stack = try await TestStack.make()
        try await stack.run { services in
            let audit = services.auditLog
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            let old = try #require(calendar.date(from: DateComponents(year: 2021, month: 3, day: 10)))
            _ = try await audit.ensurePartitions(monthsAhead: 1, now: old)
            let now = Date()
            _ = try await audit.ensurePartitions(monthsAhead: 3, now: now)
            try await audit.record(.init(staffID: nil, action: .update, entity: .setting, entityID: nil, newValues: ["k": "v"]))
            let dropped = try await audit.dropExpiredPartitions(keepMonths: 24, now: now)
            #expect(dropped == ["audit_logs_y2021m03", "audit_logs_y2021m04"])
            #expect(try await audit.dropExpiredPartitions(keepMonths: 24, now: now).isEmpty)
            // This month's partition (and its row) stays.
            #expect(try await audit.count(entity: .setting, entityID: nil, action: .update) == 1)
            let months = try await services.pools[.admin].query("""
                SELECT count(*)::int8 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_logs'
                """).collectRows()
            #expect(try months.first?.decode(Int64.self) ?? 0 >= 4)
        }
    }
}
