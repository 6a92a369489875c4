import Foundation
import Logging
import MathFarmCore
import PaymentService

/// Settles or refunds the hold behind a terminal job, then marks it resolved.
///
/// Safe to repeat and to run from anywhere (worker, supervisor, reconciler): the ledger resolves
/// a hold exactly once, and a repeat reports the first resolution.
public struct JobSettlement: Sendable {
    let ledger: Ledger
    let store: SolutionStore

    public init(ledger: Ledger, store: SolutionStore) {
        self.ledger = ledger
        self.store = store
    }

    @discardableResult
    public func resolve(jobID: UUID, status: SolutionStatus, chargeID: UUID?, by actor: String) async throws -> HoldResolution? {
        guard status.isTerminal else { return nil }
        var resolution: HoldResolution?
        if let chargeID {
            if status == .completed {
                resolution = try await ledger.settle(holdID: chargeID, changedBy: actor, reason: "solve \(jobID.uuidString.lowercased()) completed")
            } else {
                resolution = try await ledger.refund(holdID: chargeID, reason: "solve \(jobID.uuidString.lowercased()) \(status.rawValue)", changedBy: actor)
            }
        }
        try await store.markChargeResolved(id: jobID)
        return resolution
    }
}
