import Foundation
import NIOConcurrencyHelpers

/// The solves running in one worker process, and which of them its supervisor knows about.
///
/// The supervisor only needs a solve's deadline when the solve could overrun it: a solve is
/// reported (`started`, with its deadline) once it has run for `reportAfter`, and its end
/// (`solved`) only if it was reported. Most solves take microseconds, so most jobs cost the
/// supervisor no line at all beyond their batch's `claimed` and `done`. Marking a solve reported
/// and writing its line happen under one lock with its end, so `solved` never overtakes `started`.
final class RunningSolves: Sendable {
    private struct Solve {
        var deadline: Date
        var started: ContinuousClock.Instant
        var reported: Bool
    }

    private let solves = NIOLockedValueBox<[UUID: Solve]>([:])
    private let send: @Sendable (WorkerReport) -> Void

    init(send: @escaping @Sendable (WorkerReport) -> Void) {
        self.send = send
    }

    func begin(_ job: UUID, deadline: Date) {
        solves.withLockedValue { $0[job] = Solve(deadline: deadline, started: .now, reported: false) }
    }

    func end(_ job: UUID) {
        solves.withLockedValue { solves in
            if solves.removeValue(forKey: job)?.reported == true { send(.solved(job)) }
        }
    }

    /// Reports the solves running longer than `age` that the supervisor does not know yet.
    func reportLongRunning(olderThan age: Duration) {
        let now = ContinuousClock.now
        solves.withLockedValue { solves in
            for (job, solve) in solves where !solve.reported && now - solve.started >= age {
                solves[job]?.reported = true
                send(.started(job: job, deadline: solve.deadline))
            }
        }
    }
}
