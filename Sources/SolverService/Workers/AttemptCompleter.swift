import Foundation
import Logging
import MathFarmCore

/// Collects finished attempts as their solves return and writes them in batches (River's
/// batch completer): while one batch is being written, the next accumulates, so a worker
/// under load writes each batch's outcomes, charges and acks with a handful of commits, and a
/// lone job is written at once. A slow solve never holds back the others: only finished
/// attempts are written.
///
/// A failed write (PostgreSQL or Redis away) keeps the batch and retries it with backoff; the
/// attempts stay claimed (leased) meanwhile, so nothing is lost if the process dies instead.
actor AttemptCompleter {
    private let lifecycle: JobLifecycle
    private let consumer: String
    private let maxBatch: Int
    private let report: @Sendable (WorkerReport) -> Void
    private let logger: Logger
    private var pending: [JobLifecycle.Finished] = []
    /// Attempts handed to the completer and not yet written.
    private(set) var outstanding = 0
    private var closed = false
    private var wakeFlusher: CheckedContinuation<Void, Never>?
    private var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    private var roomWaiters: [(limit: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(lifecycle: JobLifecycle, consumer: String, maxBatch: Int, logger: Logger, report: @escaping @Sendable (WorkerReport) -> Void) {
        self.lifecycle = lifecycle
        self.consumer = consumer
        self.maxBatch = maxBatch
        self.logger = logger
        self.report = report
    }

    /// Counts `count` attempts as in flight (claimed, not yet written).
    func begin(_ count: Int) {
        outstanding += count
    }

    /// Hands over one finished attempt.
    func finish(_ attempt: JobLifecycle.Finished) {
        pending.append(attempt)
        wakeFlusher?.resume()
        wakeFlusher = nil
    }

    /// Returns once fewer than `limit` attempts are in flight.
    func waitForRoom(below limit: Int) async {
        guard outstanding >= limit else { return }
        await withCheckedContinuation { roomWaiters.append((limit, $0)) }
    }

    /// Returns once every attempt handed over has been written.
    func waitUntilEmpty() async {
        guard outstanding > 0 else { return }
        await withCheckedContinuation { emptyWaiters.append($0) }
    }

    /// No more attempts will come: `run` returns once the pending ones are written.
    func close() {
        closed = true
        wakeFlusher?.resume()
        wakeFlusher = nil
    }

    /// The flush loop.
    func run() async {
        var backoff = Duration.milliseconds(100)
        while true {
            if pending.isEmpty {
                if closed { return }
                await withCheckedContinuation { wakeFlusher = $0 }
                continue
            }
            let batch = Array(pending.prefix(maxBatch))
            do {
                try await lifecycle.complete(batch, by: consumer)
                pending.removeFirst(batch.count)
                written(batch)
                backoff = .milliseconds(100)
            } catch {
                logger.warning("could not write finished attempts; retrying", metadata: [
                    "attempts": "\(batch.count)", "error": "\(loggable(error))", "backoff_ms": "\(backoff.wholeMilliseconds)",
                ])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    private func written(_ batch: [JobLifecycle.Finished]) {
        report(.done(batch.map(\.work.job.id)))
        outstanding -= batch.count
        roomWaiters.removeAll { waiter in
            guard outstanding < waiter.limit else { return false }
            waiter.continuation.resume()
            return true
        }
        if outstanding == 0 {
            emptyWaiters.forEach { $0.resume() }
            emptyWaiters.removeAll()
        }
    }
}
