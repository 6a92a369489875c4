import ExactMath
import Foundation
import Logging
import MathFarmCore
import MathSolvers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The loop of one worker process, a pipeline of batches: read up to `batchSize` entries
/// (premium first; fewer when solves are slow, so heavy jobs spread over every host: `ClaimPace`), claim their jobs with one statement, solve them on a pool of solver
/// threads (never on the event loop), and hand each finished attempt to the `AttemptCompleter`,
/// which writes outcomes, statistics, charges and acks for whatever has finished, a batch at a
/// time. Reading goes on while earlier batches solve and write, up to `maxInFlight` attempts.
///
/// A retried job (claimed before: its last worker died, maybe because of it) is claimed and
/// solved alone, after everything else in flight is written, so a job that crashes its process
/// can take other jobs down with it once at most, and is then dead-lettered on its own.
///
/// Errors never end the loop: a lost Redis or PostgreSQL connection is logged and retried with
/// backoff, and an entry whose job could not be claimed stays pending for a later delivery.
public struct JobWorker: Service {
    public struct Settings: Sendable {
        public var consumer: String
        public var visibilityTimeout: Duration
        public var leaseGrace: Duration
        public var maxAttempts: Int
        public var reportToSupervisor: Bool
        /// Entries read (and jobs claimed) at once.
        public var batchSize: Int
        /// Attempts claimed and not yet written, at most.
        public var maxInFlight: Int
        /// Solver threads (the cores, by default).
        public var solverThreads: Int
        /// After a read that came back short, wait this long and read once more before claiming:
        /// fewer, larger batches (fewer statements and commits per job) for a few milliseconds of
        /// latency. Zero reads and claims at once.
        public var linger: Duration

        public init(
            consumer: String, visibilityTimeout: Duration, leaseGrace: Duration, maxAttempts: Int, reportToSupervisor: Bool,
            batchSize: Int = 128, maxInFlight: Int = 512, solverThreads: Int = System.coreCount, linger: Duration = .zero
        ) {
            self.consumer = consumer
            self.visibilityTimeout = visibilityTimeout
            self.leaseGrace = leaseGrace
            self.maxAttempts = maxAttempts
            self.reportToSupervisor = reportToSupervisor
            self.batchSize = max(1, batchSize)
            self.maxInFlight = max(self.batchSize, maxInFlight)
            self.solverThreads = max(1, solverThreads)
            self.linger = max(.zero, linger)
        }
    }

    let settings: Settings
    let lifecycle: JobLifecycle
    let registry: SolverRegistry
    /// Blocking reads get their own connection so acks never wait behind a BLOCK.
    let reader: JobQueue
    let queue: JobQueue
    let logger: Logger

    public init(settings: Settings, lifecycle: JobLifecycle, registry: SolverRegistry, reader: JobQueue, queue: JobQueue, logger: Logger) {
        self.settings = settings
        self.lifecycle = lifecycle
        self.registry = registry
        self.reader = reader
        self.queue = queue
        self.logger = logger
    }

    public func run() async throws {
        let pool = NIOThreadPool(numberOfThreads: settings.solverThreads)
        pool.start()
        let reportToSupervisor = settings.reportToSupervisor
        let completer = AttemptCompleter(
            lifecycle: lifecycle, consumer: settings.consumer, maxBatch: settings.maxInFlight, logger: logger
        ) { report in
            if reportToSupervisor { WorkerReport.send(report) }
        }
        let running = RunningSolves { report in
            if reportToSupervisor { WorkerReport.send(report) }
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await completer.run() }
            group.addTask {
                // Deadlines reach the supervisor for the solves that could overrun them.
                while !Task.isCancelled {
                    running.reportLongRunning(olderThan: Self.reportSolvesAfter)
                    try? await Task.sleep(for: Self.reportSolvesAfter)
                }
            }
            await readLoop(pool: pool, running: running, completer: completer, group: &group)
            await completer.waitUntilEmpty()
            await completer.close()
            group.cancelAll()
        }
        try? await pool.shutdownGracefully()
        logger.info("worker drained and stopping", metadata: ["consumer": "\(settings.consumer)"])
    }

    /// A solve still running after this long is reported to the supervisor with its deadline.
    static let reportSolvesAfter: Duration = .milliseconds(100)

    private func readLoop(pool: NIOThreadPool, running: RunningSolves, completer: AttemptCompleter, group: inout DiscardingTaskGroup) async {
        let pace = ClaimPace(solverThreads: settings.solverThreads, batchSize: settings.batchSize)
        var backoff = Duration.milliseconds(100)
        var nextReclaim = ContinuousClock.now
        var groupsReady = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if !groupsReady {
                    try await queue.ensureGroups()
                    groupsReady = true
                }
                await completer.waitForRoom(below: settings.maxInFlight - settings.batchSize + 1)
                // Heavy jobs: read again only when a solver thread is about to be free, so
                // other hosts get the rest of the queue (ClaimPace).
                while pace.isSaturated, !Task.isShuttingDownGracefully, !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(2))
                }
                let readCount = pace.readCount
                var deliveries: [JobQueue.Delivery] = []
                if ContinuousClock.now >= nextReclaim {
                    deliveries = try await reclaimIdleEntries()
                    nextReclaim = ContinuousClock.now + settings.visibilityTimeout / 2
                }
                if deliveries.isEmpty {
                    deliveries = try await reader.read(consumer: settings.consumer, block: .seconds(1), count: readCount)
                }
                guard !deliveries.isEmpty else { continue }
                if settings.linger > .zero, readCount > deliveries.count {
                    try await Task.sleep(for: settings.linger)
                    deliveries += try await reader.read(
                        consumer: settings.consumer, block: .milliseconds(1), count: readCount - deliveries.count
                    )
                }
                let claimed = try await lifecycle.claim(deliveries, leaseGrace: settings.leaseGrace, by: settings.consumer)
                backoff = .milliseconds(100)
                report(claimed.work)
                await completer.begin(claimed.work.count)
                pace.claimed(claimed.work.count)
                for item in claimed.work {
                    group.addTask { await completer.finish(await solve(item, on: pool, running: running, pace: pace)) }
                }
                for delivery in claimed.retries {
                    // Alone: nothing else of this process is claimed while a retried job solves.
                    await completer.waitUntilEmpty()
                    guard let item = try await lifecycle.claimRetry(
                        delivery, leaseGrace: settings.leaseGrace, maxAttempts: settings.maxAttempts, by: settings.consumer
                    ) else { continue }
                    report([item])
                    await completer.begin(1)
                    pace.claimed(1)
                    await completer.finish(await solve(item, on: pool, running: running, pace: pace))
                    await completer.waitUntilEmpty()
                }
            } catch {
                if let error = error as? RedisError, error.message.hasPrefix("NOGROUP") {
                    groupsReady = false  // Redis lost its data (restart without persistence, FLUSHALL)
                }
                if let error = error as? RedisError, error.kind == .authentication {
                    // Credentials rotated or an ACL changed under a running worker: an operator
                    // must act, so it is an error naming the variable, retried until fixed.
                    logger.error("redis refused this worker's credentials; backing off", metadata: ["error": "\(error)", "backoff_ms": "\(backoff.wholeMilliseconds)"])
                } else {
                    logger.warning("worker loop error; backing off", metadata: ["error": "\(error)", "backoff_ms": "\(backoff.wholeMilliseconds)"])
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// Tells the supervisor which attempts this worker now holds.
    private func report(_ work: [JobLifecycle.Work]) {
        guard settings.reportToSupervisor, !work.isEmpty else { return }
        WorkerReport.send(.claimed(work.map {
            .init(job: $0.job.id, attempt: $0.job.attempt, stream: $0.delivery.stream, entryID: $0.delivery.entryID)
        }))
    }

    /// Entries another consumer took and never acked (it died or stalled). An entry delivered
    /// more than `maxAttempts` times without its job ever finishing is abandoned here.
    func reclaimIdleEntries() async throws -> [JobQueue.Delivery] {
        let (claimed, deleted) = try await queue.reclaim(consumer: settings.consumer, minIdle: settings.visibilityTimeout)
        if !deleted.isEmpty {
            // Their payload is gone; the reconciler rings again for jobs still queued without an entry.
            logger.warning("queue entries deleted while pending", metadata: ["count": "\(deleted.count)"])
        }
        var keep: [JobQueue.Delivery] = []
        var abandon: [JobQueue.Delivery] = []
        for delivery in claimed {
            let deliveries = try await queue.deliveryCount(stream: delivery.stream, entryID: delivery.entryID)
            if deliveries > settings.maxAttempts { abandon.append(delivery) } else { keep.append(delivery) }
        }
        if !abandon.isEmpty {
            try await lifecycle.abandon(abandon, reason: "delivered more than \(settings.maxAttempts) times", by: settings.consumer)
        }
        return keep
    }

    /// Solves one claimed job on the solver pool under its soft deadline.
    func solve(_ work: JobLifecycle.Work, on pool: NIOThreadPool, running: RunningSolves, pace: ClaimPace) async -> JobLifecycle.Finished {
        let job = work.job
        let timeout = Duration.seconds(job.timeoutSeconds)
        let registry = self.registry
        let started = ContinuousClock.now
        let result: Result<Data, SolveError>
        do {
            result = try await pool.runIfActive {
                running.begin(job.id, deadline: Date().addingTimeInterval(timeout.timeInterval))
                pace.started()
                let solveStarted = ContinuousClock.now
                defer {
                    running.end(job.id)
                    pace.finished(after: ContinuousClock.now - solveStarted)
                }
                do throws(SolveError) {
                    return .success(try registry.solve(code: job.problemCode, input: Data(job.input.utf8), deadline: Deadline(after: timeout)))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            // Only when the pool is shut down, which happens after every attempt is written.
            result = .failure(SolveError(code: "internal_error", vi: "Bộ giải đã dừng.", en: "The solver pool was stopped."))
        }
        let elapsed = (ContinuousClock.now - started).wholeMilliseconds
        let outcome: JobOutcome
        switch result {
        case .success(let document):
            outcome = .completed(result: String(decoding: document, as: UTF8.self), processingTimeMs: elapsed)
        case .failure(let error) where error == .timeout:
            outcome = .timeout(processingTimeMs: elapsed)
        case .failure(let error):
            outcome = .failed(SolveErrorRecord(error), processingTimeMs: elapsed)
        }
        return JobLifecycle.Finished(work: work, outcome: outcome)
    }
}
