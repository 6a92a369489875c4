import Foundation
import Logging
import MathFarmCore
import PostgresNIO

/// Everything a ledger transaction writes once it has decided: new `transactions` rows, their
/// `transaction_logs`, and the locked wallets' changes (new totals, one `balances` snapshot and
/// one `wallet.changed` outbox event per change), as **one** statement.
///
/// Why one: with fsync on, the farm's cost is PostgreSQL's per-statement work and the round
/// trips made while the wallet rows are locked. A hold batch used to send five statements after
/// its decisions and a settlement batch four; each was a round trip with every wallet of the
/// batch locked. The five writes are independent data-modifying CTEs over `unnest`ed arrays (an
/// empty array writes nothing), and the foreign keys from logs and snapshots to their
/// transaction rows are checked at the end of the statement, when the rows exist.
struct LedgerWrite {
    var transactions: [Ledger.NewTransactionRow] = []
    var logs: [Ledger.LogEntry] = []

    enum Statement: PreparedQueryKey {}

    /// Writes rows and logs of a step that moves no money (a deposit opened, a status change).
    func execute(by changedBy: String, started: ContinuousClock.Instant, on connection: PostgresConnection, logger: Logger) async throws {
        var none = LockedWallets.none
        try await execute(wallets: &none, by: changedBy, started: started, on: connection, logger: logger)
    }

    /// Writes the rows, the logs and every change recorded on `wallets` (then forgets them).
    /// `started` is when the ledger operation began (the logs' `execution_time_ms`).
    func execute(
        wallets: inout LockedWallets, by changedBy: String, started: ContinuousClock.Instant,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let changes = wallets.takeChanges()
        guard !transactions.isEmpty || !logs.isEmpty || !changes.changes.isEmpty else { return }
        let ms = (ContinuousClock.now - started).wholeMilliseconds
        let rows = transactions
        let finals = changes.finals
        let each = changes.changes
        func minor(_ path: KeyPath<LockedWallets.Change, Money>) -> [Int64] { each.map { $0[keyPath: path].minorUnits } }
        // Arrays cannot carry NULLs here: an empty description or old status and a negative
        // expiry stand for none. The event is `WalletState`'s JSON, built by the server from the
        // same arrays (money as "10000.00" strings, the time in whole seconds, UTC).
        try await connection.prepared(Statement.self, """
            WITH new_transactions AS (
                INSERT INTO transactions (id, user_id, transaction_type, amount, net_amount, status, reference_code, description, expires_at, resolved_at)
                SELECT u.id, u.user_id, u.type::transaction_type, u.amount / 100.0, u.amount / 100.0, u.status::transaction_status,
                       u.reference, NULLIF(u.description, ''),
                       CASE WHEN u.expiry < 0 THEN NULL ELSE now() + make_interval(secs => u.expiry) END,
                       CASE WHEN u.status = 'pending' THEN NULL ELSE now() END
                FROM unnest(\(rows.map(\.id))::uuid[], \(rows.map(\.userID))::uuid[], \(rows.map(\.type.rawValue))::text[],
                            \(rows.map(\.amount.minorUnits))::int8[], \(rows.map(\.status.rawValue))::text[], \(rows.map(\.reference))::text[],
                            \(rows.map { $0.description ?? "" })::text[], \(rows.map { $0.expirySeconds ?? -1 })::int4[])
                     AS u(id, user_id, type, amount, status, reference, description, expiry)
            ), new_logs AS (
                INSERT INTO transaction_logs (transaction_id, old_status, new_status, reason, changed_by, execution_time_ms)
                SELECT u.id, NULLIF(u.old, '')::transaction_status, u.new::transaction_status, u.reason, \(String(changedBy.prefix(100))), \(ms)
                FROM unnest(\(logs.map(\.transactionID))::uuid[], \(logs.map { $0.from?.rawValue ?? "" })::text[],
                            \(logs.map(\.to.rawValue))::text[], \(logs.map(\.reason))::text[]) AS u(id, old, new, reason)
            ), new_totals AS (
                UPDATE wallets w SET available = u.available / 100.0, held = u.held / 100.0,
                    total_deposited = u.deposited / 100.0, total_spent = u.spent / 100.0, version = u.version
                FROM unnest(\(finals.map(\.userID))::uuid[], \(finals.map(\.totals.available.minorUnits))::int8[],
                            \(finals.map(\.totals.held.minorUnits))::int8[], \(finals.map(\.totals.totalDeposited.minorUnits))::int8[],
                            \(finals.map(\.totals.totalSpent.minorUnits))::int8[], \(finals.map(\.version))::int8[])
                     AS u(user_id, available, held, deposited, spent, version)
                WHERE w.user_id = u.user_id
            ), new_snapshots AS (
                INSERT INTO balances (user_id, transaction_id, balance_before, balance_after, change_amount, wallet_version)
                SELECT u.user_id, u.transaction_id, u.before / 100.0, u.after / 100.0, (u.after - u.before) / 100.0, u.version
                FROM unnest(\(each.map(\.userID))::uuid[], \(each.map(\.transactionID))::uuid[],
                            \(minor(\.before.available))::int8[], \(minor(\.after.available))::int8[], \(each.map(\.version))::int8[])
                     AS u(user_id, transaction_id, before, after, version)
            ), new_events AS (
                INSERT INTO outbox (topic, aggregate_id, payload)
                SELECT \(OutboxTopic.walletChanged), u.user_id, jsonb_build_object(
                    'user_id', upper(u.user_id::text), 'version', u.version, 'transaction_id', upper(u.transaction_id::text),
                    'changed_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                    'available', (u.available / 100.0)::numeric(17, 2)::text, 'held', (u.held / 100.0)::numeric(17, 2)::text,
                    'total_deposited', (u.deposited / 100.0)::numeric(17, 2)::text, 'total_spent', (u.spent / 100.0)::numeric(17, 2)::text,
                    'previous', jsonb_build_object(
                        'available', (u.old_available / 100.0)::numeric(17, 2)::text, 'held', (u.old_held / 100.0)::numeric(17, 2)::text,
                        'total_deposited', (u.old_deposited / 100.0)::numeric(17, 2)::text, 'total_spent', (u.old_spent / 100.0)::numeric(17, 2)::text))
                FROM unnest(\(each.map(\.userID))::uuid[], \(each.map(\.transactionID))::uuid[], \(each.map(\.version))::int8[],
                            \(minor(\.after.available))::int8[], \(minor(\.after.held))::int8[],
                            \(minor(\.after.totalDeposited))::int8[], \(minor(\.after.totalSpent))::int8[],
                            \(minor(\.before.available))::int8[], \(minor(\.before.held))::int8[],
                            \(minor(\.before.totalDeposited))::int8[], \(minor(\.before.totalSpent))::int8[])
                     WITH ORDINALITY AS u(user_id, transaction_id, version, available, held, deposited, spent,
                                          old_available, old_held, old_deposited, old_spent, n)
                ORDER BY u.n
            )
            SELECT 1
            """, logger: logger)
    }
}
