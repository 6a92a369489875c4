import Foundation
import MathFarmCore
import PostgresNIO

/// The audit trail (`audit_logs`, partitioned by month).
public struct AuditLog: Sendable {
    public enum Action: String, Sendable {
        case create, update, delete, login, logout, refund, confirm, rerun, lock, unlock
        case loginFailed = "login_failed"
        case balanceAdjustment = "balance_adjustment"
    }

    public enum Entity: String, Sendable {
        case adminUser = "admin_user"
        case user, wallet, transaction, solution, problem, setting, page, faq, category, translation
    }

    public struct Entry: Sendable {
        public var staffID: UUID?
        public var action: Action
        public var entity: Entity
        public var entityID: UUID?
        public var oldValues: [String: String]?
        public var newValues: [String: String]?
        public var client: RequestMetadata?
        public var executionTimeMs: Int?

        public init(
            staffID: UUID?, action: Action, entity: Entity, entityID: UUID?,
            oldValues: [String: String]? = nil, newValues: [String: String]? = nil,
            client: RequestMetadata? = nil, executionTimeMs: Int? = nil
        ) {
            self.staffID = staffID
            self.action = action
            self.entity = entity
            self.entityID = entityID
            self.oldValues = oldValues
            self.newValues = newValues
            self.client = client
            self.executionTimeMs = executionTimeMs
        }
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func record(_ entry: Entry) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let old = try entry.oldValues.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let new = try entry.newValues.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await database.query("""
            INSERT INTO audit_logs (user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent, execution_time_ms)
            VALUES (\(entry.staffID), \(entry.action.rawValue)::audit_action, \(entry.entity.rawValue)::audit_entity, \(entry.entityID),
                    \(old)::jsonb, \(new)::jsonb, \(entry.client?.validClientIP)::inet, \(entry.client?.userAgent), \(entry.executionTimeMs))
            """)
    }

    /// Records `entry` unless an entry for the same entity, action and transaction id (in
    /// `newValues["transaction_id"]`) exists: a retried request whose first attempt died after
    /// moving the money still leaves exactly one audit row.
    public func recordOnce(_ entry: Entry, transactionID: UUID) async throws {
        let id = transactionID.uuidString.lowercased()
        let existing = try await database.query("""
            SELECT 1 FROM audit_logs
            WHERE entity_type = \(entry.entity.rawValue)::audit_entity AND action = \(entry.action.rawValue)::audit_action
              AND entity_id IS NOT DISTINCT FROM \(entry.entityID) AND new_values->>'transaction_id' = \(id)
            LIMIT 1
            """).collectRows()
        guard existing.isEmpty else { return }
        var entry = entry
        entry.newValues = (entry.newValues ?? [:]).merging(["transaction_id": id]) { $1 }
        try await record(entry)
    }

    /// Creates the monthly partitions from this month through `monthsAhead` months ahead (UTC),
    /// so inserts never find their month missing. Safe to run concurrently and repeatedly.
    @discardableResult
    public func ensurePartitions(monthsAhead: Int = 3, now: Date = Date()) async throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = calendar.dateComponents([.year, .month], from: now)
        guard let year = components.year, let month = components.month else { return [] }
        var created: [String] = []
        for offset in 0...max(0, monthsAhead) {
            let index = (year * 12 + (month - 1)) + offset
            let (startYear, startMonth) = (index / 12, index % 12 + 1)
            let (endYear, endMonth) = ((index + 1) / 12, (index + 1) % 12 + 1)
            let name = String(format: "audit_logs_y%04dm%02d", startYear, startMonth)
            let from = String(format: "%04d-%02d-01", startYear, startMonth)
            let to = String(format: "%04d-%02d-01", endYear, endMonth)
            let exists = try await database.query("SELECT 1 FROM pg_class WHERE relname = \(name)").collectRows()
            guard exists.isEmpty else { continue }
            do {
                // Names and bounds are built from integers above, never from input.
                try await database.query(PostgresQuery(unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(name) PARTITION OF audit_logs
                    FOR VALUES FROM ('\(from) 00:00:00+00') TO ('\(to) 00:00:00+00')
                    """))
                created.append(name)
            } catch let error as PSQLError where error.sqlState == "42P07" || error.sqlState == SQLState.uniqueViolation {
                continue  // created concurrently by another process
            }
        }
        return created
    }

    /// Number of audit rows for an entity and action (used by tests and the admin views).
    public func count(entity: Entity, entityID: UUID?, action: Action) async throws -> Int {
        let rows = try await database.query("""
            SELECT count(*)::int8 FROM audit_logs
            WHERE entity_type = \(entity.rawValue)::audit_entity AND action = \(action.rawValue)::audit_action
              AND (\(entityID)::uuid IS NULL OR entity_id = \(entityID))
            """).collectRows()
        return try rows.first.map { Int(try $0.decode(Int64.self)) } ?? 0
    }
}
