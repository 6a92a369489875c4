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
        do {
            try await insert(entry)
        } catch let error as PSQLError where error.sqlState == "23514" {
            // No partition for this month yet (a new month before the maintenance job ran):
            // create them and write once more.
            _ = try await ensurePartitions()
            try await insert(entry)
        }
    }

    private func insert(_ entry: Entry) async throws {
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

    /// One staff action, with the client it came from.
    public func record(
        staff principal: StaffPrincipal, _ action: Action, _ entity: Entity, _ id: UUID?, client: RequestMetadata,
        old: [String: String]? = nil, new: [String: String]? = nil, since started: ContinuousClock.Instant? = nil
    ) async throws {
        try await record(.init(
            staffID: principal.id, action: action, entity: entity, entityID: id, oldValues: old, newValues: new, client: client,
            executionTimeMs: started.map { (ContinuousClock.now - $0).wholeMilliseconds }
        ))
    }

    /// Records `entry` once per `key` (kept in `new_values["audit_key"]`): for events delivered
    /// at least once, such as the outbox's wallet changes. `at` is when the event happened.
    public func recordOnce(_ entry: Entry, key: String, at: Date) async throws {
        try await recordOnce([(entry, key, at)])
    }

    /// Records each entry once per key, in one statement: the batched form of
    /// `recordOnce(_:key:at:)` for events delivered at least once (the outbox relay's wallet
    /// changes). Entries carry no client (they come from background work).
    ///
    /// The row's identity is a function of the event: its id is derived from the entity and the
    /// key, and its `created_at` is the event's time, so a repeat has the same primary key and
    /// `ON CONFLICT DO NOTHING` drops it with one index probe (no search of the trail).
    public func recordOnce(_ entries: [(entry: Entry, key: String, at: Date)]) async throws {
        guard !entries.isEmpty else { return }
        do {
            try await insertOnce(entries)
        } catch let error as PSQLError where error.sqlState == "23514" {
            _ = try await ensurePartitions(now: entries.map(\.at).min() ?? Date())
            try await insertOnce(entries)
        }
    }

    private func insertOnce(_ entries: [(entry: Entry, key: String, at: Date)]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var olds: [String] = [], news: [String] = [], ids: [UUID] = []
        for (entry, key, _) in entries {
            olds.append(try entry.oldValues.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "")
            let values = (entry.newValues ?? [:]).merging(["audit_key": key]) { $1 }
            news.append(String(decoding: try encoder.encode(values), as: UTF8.self))
            ids.append(UUID(nameBased: "audit\n\(entry.entity.rawValue)\n\(entry.entityID?.uuidString ?? "")\n\(key)"))
        }
        let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        // Arrays cannot carry NULLs here: the zero UUID and '' stand for none.
        try await database.prepared(InsertOnce.self, """
            INSERT INTO audit_logs (id, created_at, user_id, action, entity_type, entity_id, old_values, new_values, execution_time_ms)
            SELECT u.id, u.at, NULLIF(u.staff, \(none)), u.action::audit_action, u.entity::audit_entity, NULLIF(u.entity_id, \(none)),
                   NULLIF(u.old, '')::jsonb, u.new::jsonb, NULLIF(u.ms, -1)
            FROM unnest(\(ids)::uuid[], \(entries.map(\.at))::timestamptz[], \(entries.map { $0.entry.staffID ?? none })::uuid[],
                        \(entries.map(\.entry.action.rawValue))::text[], \(entries.map(\.entry.entity.rawValue))::text[],
                        \(entries.map { $0.entry.entityID ?? none })::uuid[], \(olds)::text[], \(news)::text[],
                        \(entries.map { Int32(clamping: $0.entry.executionTimeMs ?? -1) })::int4[])
                 AS u(id, at, staff, action, entity, entity_id, old, new, ms)
            ON CONFLICT (id, created_at) DO NOTHING
            """)
    }

    enum InsertOnce: PreparedQueryKey {}

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
            do {
                // The owner's function (migration 0007): the services' role runs no DDL.
                let rows = try await database.query("SELECT audit_logs_create_partition(\(startYear)::int, \(startMonth)::int)").collectRows()
                if try rows.first?.decode(Bool.self) == true {
                    created.append(String(format: "audit_logs_y%04dm%02d", startYear, startMonth))
                }
            } catch let error as PSQLError where error.sqlState == "42P07" || error.sqlState == SQLState.uniqueViolation {
                continue  // created concurrently by another process
            }
        }
        return created
    }

    /// Retention: drops the monthly partitions that end more than `months` months before `now`
    /// (24 by default: two years). Returns the dropped partitions.
    @discardableResult
    public func dropExpiredPartitions(keepMonths months: Int = 24, now: Date = Date()) async throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = calendar.dateComponents([.year, .month], from: now)
        guard let year = components.year, let month = components.month else { return [] }
        let oldestKept = year * 12 + (month - 1) - months
        let rows = try await database.query("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'audit_logs' ORDER BY c.relname
            """).collectRows()
        var dropped: [String] = []
        for row in rows {
            let name = try row.decode(String.self)
            // audit_logs_yYYYYmMM
            guard name.count == 19, name.hasPrefix("audit_logs_y"), let y = Int(name.dropFirst(12).prefix(4)), let m = Int(name.suffix(2)) else { continue }
            guard y * 12 + (m - 1) < oldestKept else { continue }
            // The owner's function (migration 0007) drops only a partition of audit_logs.
            let answer = try await database.query("SELECT audit_logs_drop_partition(\(y)::int, \(m)::int)").collectRows()
            if try answer.first?.decode(Bool.self) == true { dropped.append(name) }
        }
        return dropped
    }

    public struct View: Sendable, Encodable {
        public var id: UUID
        public var staffID: UUID?
        public var action: String
        public var entity: String
        public var entityID: UUID?
        public var oldValues: JSONValue?
        public var newValues: JSONValue?
        public var ipAddress: String?
        public var userAgent: String?
        public var executionTimeMs: Int?
        public var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, action, entity
            case staffID = "staff_id"
            case entityID = "entity_id"
            case oldValues = "old_values"
            case newValues = "new_values"
            case ipAddress = "ip_address"
            case userAgent = "user_agent"
            case executionTimeMs = "execution_time_ms"
            case createdAt = "created_at"
        }
    }

    public struct Filter: Sendable {
        public var staffID: UUID?
        public var action: String?
        public var entity: String?
        public var entityID: UUID?
        public var from: Date?
        public var to: Date?

        public init(staffID: UUID? = nil, action: String? = nil, entity: String? = nil, entityID: UUID? = nil, from: Date? = nil, to: Date? = nil) {
            self.staffID = staffID
            self.action = action
            self.entity = entity
            self.entityID = entityID
            self.from = from
            self.to = to
        }
    }

    /// A page of the audit trail, newest first.
    public func search(_ filter: Filter, limit: Int, offset: Int) async throws -> (items: [View], total: Int) {
        let rows = try await database.query("""
            SELECT id, user_id, action::text, entity_type::text, entity_id, old_values::text, new_values::text, host(ip_address), user_agent,
                   execution_time_ms, created_at, count(*) OVER ()
            FROM audit_logs
            WHERE (\(filter.staffID)::uuid IS NULL OR user_id = \(filter.staffID))
              AND (\(filter.action)::text IS NULL OR action::text = \(filter.action))
              AND (\(filter.entity)::text IS NULL OR entity_type::text = \(filter.entity))
              AND (\(filter.entityID)::uuid IS NULL OR entity_id = \(filter.entityID))
              AND (\(filter.from)::timestamptz IS NULL OR created_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR created_at < \(filter.to))
            ORDER BY created_at DESC, id LIMIT \(limit) OFFSET \(offset)
            """)
        var items: [View] = []
        var total = 0
        for try await (id, staff, action, entity, entityID, old, new, ip, agent, ms, created, count) in rows.decode(
            (UUID, UUID?, String, String, UUID?, String?, String?, String?, String?, Int?, Date, Int64).self
        ) {
            items.append(View(
                id: id, staffID: staff, action: action, entity: entity, entityID: entityID, oldValues: old.flatMap(JSONValue.init(text:)),
                newValues: new.flatMap(JSONValue.init(text:)), ipAddress: ip, userAgent: agent, executionTimeMs: ms, createdAt: created
            ))
            total = Int(count)
        }
        return (items, total)
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
