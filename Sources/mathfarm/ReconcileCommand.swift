import ArgumentParser
import Foundation
import MathFarmHTTP

/// `mathfarm reconcile --check`: verifies the ledger invariants and exits non-zero on a violation.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Verify (--check) the money invariants of ARCHITECTURE.md section 2."
    )

    @Flag(name: .long, help: "Only report violations; change nothing.")
    var check = false

    func validate() throws {
        guard check else {
            throw ValidationError("only --check is available yet; the repairing reconciler comes with the solve pipeline")
        }
    }

    func run() async throws {
        let logger = ProcessSetup.logger("mathfarm.reconcile")
        let violations = try await ProcessSetup.withServices(logger: logger) { services in
            try await services.ledgerReconciler.check()
        }
        for violation in violations { print(violation) }
        if violations.isEmpty {
            print("reconcile: all checked invariants hold (1, 3, 4)")
        } else {
            print("reconcile: \(violations.count) violation(s)")
            throw ExitCode(1)
        }
    }
}
