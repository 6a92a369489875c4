import ArgumentParser
import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import ServiceLifecycle

/// `mathfarm reconcile`: the repairing reconciler as a service; `--once` for one pass;
/// `--check` verifies the five invariants and exits non-zero on a violation.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Repair what crashes left behind (as a service, or --once), or verify the five money and job invariants (--check)."
    )

    @Flag(name: .long, help: "Only verify the invariants of ARCHITECTURE.md section 2; change nothing. Exit 1 on a violation.")
    var check = false

    @Flag(name: .long, help: "Run one repair pass and exit.")
    var once = false

    func run() async throws {
        let logger = ProcessSetup.logger("mathfarm.reconcile")
        if check {
            let violations = try await ProcessSetup.withServices(logger: logger) { services in
                try await services.outboxRelay.drain()
                return try await services.ledgerReconciler.check() + services.jobReconciler.check()
            }
            for violation in violations.sorted(by: { $0.invariant < $1.invariant }) { print(violation) }
            if violations.isEmpty {
                print("reconcile: all five invariants hold")
                return
            }
            print("reconcile: \(violations.count) violation(s)")
            throw ExitCode(1)
        }
        if once {
            let repairs = try await ProcessSetup.withServices(logger: logger) { services in
                try await services.jobReconciler.repair()
            }
            print("reconcile: \(repairs.isEmpty ? "nothing to repair" : repairs.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: " "))")
            return
        }
        let services = try await MathFarmServices(configuration: try ProcessSetup.configuration(), logger: logger)
        let loop = PeriodicService(name: "reconciler", interval: services.configuration.reconcileInterval, logger: logger) {
            try await services.jobReconciler.repair()
        }
        let group = ServiceGroup(configuration: .init(
            services: [services.pools, loop], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}
