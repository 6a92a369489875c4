import NIOConcurrencyHelpers

/// How much work one worker process takes from the queue at a time, so that heavy jobs spread
/// over every worker host instead of piling up on whichever read first.
///
/// A batch of cheap jobs (a quadratic solves in microseconds) is what makes the farm fast: one
/// claim, one outcome write and one settlement per batch. But the same batch of heavy jobs (a
/// 120 × 120 system takes a quarter of a second on a small host) would be claimed by one
/// process and solved one after another while other hosts sit idle: with 100 such jobs and four
/// hosts, the first reader took 64 and the run lasted as long as its share. So a worker reads only
/// what its solver threads can start within `horizon`, judged by the recent solve time, and does
/// not read again while claimed jobs are still waiting for a thread.
final class ClaimPace: Sendable {
    let solverThreads: Int
    let batchSize: Int
    let horizon: Duration

    private struct State {
        /// Claimed and not yet started on a solver thread.
        var waiting = 0
        /// Exponentially weighted mean solve time, seconds (nil until the first solve).
        var meanSolveSeconds: Double?
    }

    private let state = NIOLockedValueBox(State())

    init(solverThreads: Int, batchSize: Int, horizon: Duration = .milliseconds(100)) {
        self.solverThreads = max(1, solverThreads)
        self.batchSize = max(1, batchSize)
        self.horizon = horizon
    }

    /// How many entries to read now: a whole batch while solves are quick (or not yet seen),
    /// else what the threads can start within the horizon, at least one.
    var readCount: Int {
        let mean = state.withLockedValue { $0.meanSolveSeconds }
        guard let mean, mean > 0 else { return batchSize }
        let affordable = Double(solverThreads) * horizon.timeInterval / mean
        return max(1, min(batchSize, Int(affordable.rounded(.down))))
    }

    /// Whether every solver thread already has a claimed job waiting for it and those jobs are
    /// slow (a mean solve over `slowSolve`): then reading more would only take work another host
    /// could start sooner. Quick jobs never wait here: a batch of them starts within microseconds
    /// and the next read overlaps its writes, as before pacing existed.
    var isSaturated: Bool {
        state.withLockedValue { $0.waiting >= solverThreads && ($0.meanSolveSeconds ?? 0) > Self.slowSolve }
    }

    /// A solve slower than this (on average) is heavy enough to pace.
    static let slowSolve = 0.001

    func claimed(_ count: Int) {
        state.withLockedValue { $0.waiting += count }
    }

    /// A claimed job started on a solver thread.
    func started() {
        state.withLockedValue { $0.waiting = max(0, $0.waiting - 1) }
    }

    /// A solve took `duration`.
    func finished(after duration: Duration) {
        let seconds = duration.timeInterval
        state.withLockedValue { state in
            state.meanSolveSeconds = state.meanSolveSeconds.map { 0.8 * $0 + 0.2 * seconds } ?? seconds
        }
    }
}
