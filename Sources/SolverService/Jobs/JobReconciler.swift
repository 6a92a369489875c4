import Foundation
import Logging
import MathFarmCore
import Metrics
import PaymentService

/// Repairs what crashes, lost Redis data and expired leases leave behind, and checks the job
/// invariants 2 and 5 (ARCHITECTURE.md section 2). Every repair is idempotent and logged, and
/// counted in `mathfarm_reconcile_repairs_total{kind}`.
public struct JobReconciler: Sendable {
    public struct Settings: Sendable {
        /// How long a hold may exist without its job row before it is refunded.
        public var orphanHoldGrace: Duration
        /// How long a terminal job may keep an unresolved charge (a worker may be settling it).
        public var settlementGrace: Duration
        public var requeueAfter: Duration
        public var maxAttempts: Int

        public init(orphanHoldGrace: Duration, settlementGrace: Duration, requeueAfter: Duration, maxAttempts: Int) {
            self.orphanHoldGrace = orphanHoldGrace
            self.settlementGrace = settlementGrace
            self.requeueAfter = requeueAfter
            self.maxAttempts = maxAttempts
        }
    }

    public enum Repair: String, CaseIterable, Sendable {
        case orphanHoldRefunded = "orphan_hold_refunded"
        case chargeResolved = "charge_resolved"
        case requeued = "requeued"
        case leaseExpiredRequeued = "lease_expired_requeued"
        case leaseExpiredTimedOut = "lease_expired_timed_out"
        case expiredHoldRefunded = "expired_hold_refunded"
    }

    let settings: Settings
    let store: SolutionStore
    let ledger: Ledger
    let queue: JobQueue
    let lifecycle: JobLifecycle
    let logger: Logger

    public init(settings: Settings, store: SolutionStore, ledger: Ledger, queue: JobQueue, lifecycle: JobLifecycle, logger: Logger) {
        self.settings = settings
        self.store = store
        self.ledger = ledger
        self.queue = queue
        self.lifecycle = lifecycle
        self.logger = logger
    }

    /// One pass of every repair. Returns how many of each it made.
    @discardableResult
    public func repair() async throws -> [Repair: Int] {
        var counts: [Repair: Int] = [:]
        func count(_ repair: Repair, _ n: Int) {
            guard n > 0 else { return }
            counts[repair, default: 0] += n
            Counter(label: "mathfarm_reconcile_repairs_total", dimensions: [("kind", repair.rawValue)]).increment(by: n)
            logger.warning("reconcile repair", metadata: ["kind": "\(repair.rawValue)", "count": "\(n)"])
        }
        // Holds a crash left pending: of terminal jobs, of no job at all, of jobs that waited
        // past their hold's expiry.
        let charges = try await lifecycle.rescueStrandedCharges(
            settlementGrace: settings.settlementGrace, orphanGrace: settings.orphanHoldGrace, by: "reconciler"
        )
        count(.chargeResolved, charges.resolved)
        count(.orphanHoldRefunded, charges.orphansRefunded)
        count(.expiredHoldRefunded, charges.expiredRefunded)
        // Processing jobs whose worker vanished without its supervisor noticing (machine loss).
        let leases = try await lifecycle.rescueExpiredLeases(maxAttempts: settings.maxAttempts, by: "reconciler")
        count(.leaseExpiredRequeued, leases.requeued)
        count(.leaseExpiredTimedOut, leases.timedOut)
        // Queued jobs Redis no longer has (lost data, failed XADD): ring the doorbell again.
        count(.requeued, try await lifecycle.ringAgain(queuedOlderThan: settings.requeueAfter))
        // Housekeeping, not a repair: acknowledged entries leave the streams.
        _ = try? await queue.trimAcknowledged()
        return counts
    }

    /// Invariants 2 (terminal job ⇔ one matching resolution) and 5 (statistics = aggregate).
    public func check() async throws -> [InvariantViolation] {
        var violations: [InvariantViolation] = []
        let terminal = try await store.terminalCharges()
        let statuses = try await ledger.holdStatuses(terminal.compactMap(\.chargeID))
        for (id, status, charge) in terminal {
            let subject = "solution \(id.uuidString.lowercased())"
            guard let charge else {
                violations.append(.init(invariant: 2, subject: subject, detail: "terminal (\(status.rawValue)) without a charge"))
                continue
            }
            guard let hold = statuses[charge] else {
                violations.append(.init(invariant: 2, subject: subject, detail: "its charge \(charge.uuidString.lowercased()) does not exist"))
                continue
            }
            let expected: TransactionStatus = status == .completed ? .completed : .refunded
            if hold.status != expected {
                violations.append(.init(invariant: 2, subject: subject, detail: "\(status.rawValue) but its charge is \(hold.status.rawValue), expected \(expected.rawValue)"))
            }
            if hold.resolutions > 1 {
                violations.append(.init(invariant: 2, subject: subject, detail: "its charge was resolved \(hold.resolutions) times"))
            }
        }
        for mismatch in try await store.statisticsMismatches() {
            violations.append(.init(invariant: 5, subject: "problem_statistics \(mismatch.problem) \(mismatch.date)", detail: mismatch.detail))
        }
        return violations
    }
}
