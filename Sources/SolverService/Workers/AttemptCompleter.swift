import Foundation
import Logging
import MathFarmCore

/// Collects finished attempts as their solves return and writes them in batches (River's
/// batch completer), in two stages that overlap: while one batch's holds are being resolved
/// and its entries acked (`JobLifecycle.settle`), the next batch's outcomes are already being
/// written (`recordOutcomes`), so a customer's job shows `completed` one PostgreSQL round trip
/// after its solve instead of behind the previous batch's payment transaction. Outcomes that
/// pile up while a settlement runs are settled together. A slow solve never holds back the
/// others: only finished attempts are written.
///
/// A failed write (PostgreSQL or Redis away) keeps its batch and retries it with backoff; the
/// attempts stay claimed (leased) meanwhile, so nothing is lost if the process dies instead: the
/// supervisor and the reconciler resolve the charge of an outcome that was written and not
/// settled.
actor AttemptCompleter {
    private let lifecycle: JobLifecycle
    private let consumer: String
    private let maxBatch: Int
    private let report: @Sendable (WorkerReport) -> Void
    private let logger: Logger
    private var pending: [JobLifecycle.Finished] = []
    /// Outcomes written, holds not yet resolved.
    private var recorded = JobLifecycle.RecordedOutcomes()
    /// Attempts handed to the completer and not yet settled.
    private(set) var outstanding = 0
    private var closed = false
    private var outcomesDone = false
    private var wakeRecorder: CheckedContinuation<Void, Never>?
    private var wakeSettler: CheckedContinuation<Void, Never>?
    private var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    private var roomWaiters: [(limit: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(lifecycle: JobLifecycle, consumer: String, maxBatch: Int, logger: Logger, report: @escaping @Sendable (WorkerReport) -> Void) {
        self.lifecycle = lifecycle
        self.consumer = consumer
        self.maxBatch = maxBatch
        self.logger = logger
        self.report = report
    }

    /// Counts `count` attempts as in flight (claimed, not yet settled).
    func begin(_ count: Int) {
        outstanding += count
    }

    /// Hands over one finished attempt.
    func finish(_ attempt: JobLifecycle.Finished) {
        pending.append(attempt)
        wakeRecorder?.resume()
        wakeRecorder = nil
    }

    /// Returns once fewer than `limit` attempts are in flight.
    func waitForRoom(below limit: Int) async {
        guard outstanding >= limit else { return }
        await withCheckedContinuation { roomWaiters.append((limit, $0)) }
    }

    /// Returns once every attempt handed over has been settled.
    func waitUntilEmpty() async {
        guard outstanding > 0 else { return }
        await withCheckedContinuation { emptyWaiters.append($0) }
    }

    /// No more attempts will come: `run` returns once the pending ones are settled.
    func close() {
        closed = true
        wakeRecorder?.resume()
        wakeRecorder = nil
    }

    /// Both stages; returns after `close` once everything handed over is settled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.settleLoop() }
            await recordLoop()
        }
    }

    /// Stage one: outcomes, a batch at a time.
    private func recordLoop() async {
        var backoff = Duration.milliseconds(100)
        while true {
            if pending.isEmpty {
                if closed { break }
                await withCheckedContinuation { wakeRecorder = $0 }
                continue
            }
            let batch = Array(pending.prefix(maxBatch))
            do {
                let written = try await lifecycle.recordOutcomes(batch)
                pending.removeFirst(batch.count)
                recorded.merge(written)
                wakeSettler?.resume()
                wakeSettler = nil
                backoff = .milliseconds(100)
            } catch {
                await retryLater(after: &backoff, what: "outcomes", count: batch.count, error: error)
            }
        }
        outcomesDone = true
        wakeSettler?.resume()
        wakeSettler = nil
    }

    /// Stage two: holds and acks of everything recorded so far, together.
    private func settleLoop() async {
        var backoff = Duration.milliseconds(100)
        while true {
            if recorded.isEmpty {
                if outcomesDone { return }
                await withCheckedContinuation { wakeSettler = $0 }
                continue
            }
            let batch = recorded
            recorded = JobLifecycle.RecordedOutcomes()
            do {
                try await lifecycle.settle(batch, by: consumer)
                settled(batch.jobIDs)
                backoff = .milliseconds(100)
            } catch {
                // Put the batch back in front of whatever was recorded meanwhile.
                var again = batch
                again.merge(recorded)
                recorded = again
                await retryLater(after: &backoff, what: "charges", count: batch.count, error: error)
            }
        }
    }

    private func retryLater(after backoff: inout Duration, what: String, count: Int, error: any Error) async {
        logger.warning("could not write finished attempts; retrying", metadata: [
            "stage": "\(what)", "attempts": "\(count)", "error": "\(loggable(error))", "backoff_ms": "\(backoff.wholeMilliseconds)",
        ])
        try? await Task.sleep(for: backoff)
        backoff = min(backoff * 2, .seconds(5))
    }

    private func settled(_ jobs: [UUID]) {
        report(.done(jobs))
        outstanding -= jobs.count
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
