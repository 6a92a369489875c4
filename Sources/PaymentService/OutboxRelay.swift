import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import UserService

/// Delivers `outbox` events to the services that keep read models of the ledger.
///
/// A batch is read with `FOR UPDATE SKIP LOCKED` (so several API replicas can relay side by
/// side), delivered as a whole (one statement per receiving database, not one per event), and
/// marked published in the same payment transaction. If the process dies mid-batch the
/// transaction rolls back and the whole batch is delivered again; delivery is idempotent (the
/// projection ignores a wallet version it has already seen, the audit trail records a version
/// once), so nothing drifts.
public struct OutboxRelay: Sendable {
    /// Receives a batch of wallet changes, oldest first.
    public typealias Deliver = @Sendable ([WalletState]) async throws -> Void

    let database: Database
    let deliver: Deliver
    let batchSize: Int

    public init(database: Database, batchSize: Int = 1000, deliver: @escaping Deliver) {
        self.database = database
        self.batchSize = batchSize
        self.deliver = deliver
    }

    /// The standard wiring: wallet changes go to the user service's `user_balance`.
    public init(database: Database, projection: BalanceProjection, batchSize: Int = 1000) {
        self.init(database: database, batchSize: batchSize) { states in
            try await projection.apply(states)
        }
    }

    /// Relays one batch; returns how many events it published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        let logger = database.logger
        let deliver = self.deliver
        let limit = batchSize
        return try await database.transaction { connection in
            let rows = try await connection.query("""
                SELECT id, topic, payload::text FROM outbox
                WHERE published_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger).collectRows()
            guard !rows.isEmpty else { return 0 }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            var ids: [Int64] = []
            var states: [WalletState] = []
            for row in rows {
                let (id, topic, payload) = try row.decode((Int64, String, String).self)
                if topic == OutboxTopic.walletChanged {
                    states.append(try decoder.decode(WalletState.self, from: Data(payload.utf8)))
                } else {
                    logger.warning("outbox event with unknown topic skipped", metadata: ["topic": "\(topic)", "id": "\(id)"])
                }
                ids.append(id)
            }
            try await deliver(states)
            try await connection.query("UPDATE outbox SET published_at = now() WHERE id = ANY(\(ids))", logger: logger)
            return ids.count
        }
    }

    /// Relays until the outbox is empty (used by tests and `reconcile --check`).
    public func drain() async throws {
        while try await relayBatch() > 0 {}
    }

    /// How many events wait to be relayed.
    public func backlog() async throws -> Int {
        let rows = try await database.query("SELECT count(*)::int8 FROM outbox WHERE published_at IS NULL").collectRows()
        return try rows.first.map { Int(try $0.decode(Int64.self)) } ?? 0
    }
}
