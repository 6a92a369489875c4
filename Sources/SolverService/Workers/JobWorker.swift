import ExactMath
import Foundation
import Logging
import MathFarmCore
import ServiceLifecycle

/// The loop of one worker process: read (premium first), claim in PostgreSQL, solve under the
/// soft deadline, write the outcome and statistics, settle or refund, XACK.
///
/// Errors never end the loop: a lost Redis or PostgreSQL connection is logged and retried with
/// backoff, and an entry whose job could not be written stays pending for a later delivery.
public struct JobWorker: Service {
    public struct Settings: Sendable {
        public var consumer: String
        public var visibilityTimeout: Duration
        public var leaseGrace: Duration
        public var maxAttempts: Int
        public var reportToSupervisor: Bool

        public init(consumer: String, visibilityTimeout: Duration, leaseGrace: Duration, maxAttempts: Int, reportToSupervisor: Bool) {
            self.consumer = consumer
            self.visibilityTimeout = visibilityTimeout
            self.leaseGrace = leaseGrace
            self.maxAttempts = maxAttempts
            self.reportToSupervisor = reportToSupervisor
        }
    }

    let settings: Settings
    let store: SolutionStore
    let registry: SolverRegistry
    /// Blocking reads get their own connection so acks never wait behind a BLOCK.
    let reader: JobQueue
    let queue: JobQueue
    let settlement: JobSettlement
    let logger: Logger

    public init(
        settings: Settings, store: SolutionStore, registry: SolverRegistry, reader: JobQueue, queue: JobQueue,
        settlement: JobSettlement, logger: Logger
    ) {
        self.settings = settings
        self.store = store
        self.registry = registry
        self.reader = reader
        self.queue = queue
        self.settlement = settlement
        self.logger = logger
    }

    public func run() async throws {
        var backoff = Duration.milliseconds(100)
        var nextReclaim = ContinuousClock.now
        var groupsReady = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if !groupsReady {
                    try await queue.ensureGroups()
                    groupsReady = true
                }
                if ContinuousClock.now >= nextReclaim {
                    try await reclaimIdleEntries()
                    nextReclaim = ContinuousClock.now + settings.visibilityTimeout / 2
                }
                let deliveries = try await reader.read(consumer: settings.consumer, block: .seconds(1))
                for delivery in deliveries {
                    try await process(delivery, reclaimed: false)
                }
                backoff = .milliseconds(100)
            } catch {
                if let error = error as? RedisError, error.message.hasPrefix("NOGROUP") {
                    groupsReady = false  // Redis lost its data (restart without persistence, FLUSHALL)
                }
                logger.warning("worker loop error; backing off", metadata: ["error": "\(error)", "backoff_ms": "\(Int(backoff.timeInterval * 1000))"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        logger.info("worker drained and stopping", metadata: ["consumer": "\(settings.consumer)"])
    }

    /// Entries another consumer took and never acked (it died or stalled).
    func reclaimIdleEntries() async throws {
        let (claimed, deleted) = try await queue.reclaim(consumer: settings.consumer, minIdle: settings.visibilityTimeout)
        for delivery in claimed {
            try await process(delivery, reclaimed: true)
        }
        for (stream, entryID) in deleted {
            // The entry's payload is gone; PostgreSQL knows which job it was.
            guard let jobID = try await store.job(queueStream: stream, entryID: entryID),
                  let record = try await store.record(jobID), record.status == .queued
            else { continue }
            let entry = try await queue.enqueue(jobID: jobID, priority: queue.priority(ofStream: stream))
            try await store.setQueueEntry(id: jobID, stream: entry.stream, entryID: entry.entryID)
            logger.warning("re-enqueued a job whose queue entry was deleted", metadata: ["job": "\(jobID)"])
        }
    }

    func process(_ delivery: JobQueue.Delivery, reclaimed: Bool) async throws {
        guard let jobID = delivery.jobID else {
            try await queue.ack(stream: delivery.stream, entryID: delivery.entryID)
            return
        }
        var logger = self.logger
        logger[metadataKey: "job"] = "\(jobID.uuidString.lowercased())"
        if reclaimed {
            let deliveries = try await queue.deliveryCount(stream: delivery.stream, entryID: delivery.entryID)
            if deliveries > settings.maxAttempts {
                try await giveUp(jobID: jobID, delivery: delivery, reason: "delivered \(deliveries) times", logger: logger)
                return
            }
        }
        guard let job = try await store.claim(id: jobID, leaseGrace: settings.leaseGrace) else {
            // Terminal (finish its settlement if a crash interrupted it) or owned by a live lease
            // elsewhere (that worker or the reconciler completes it): the entry is done either way.
            if let record = try await store.record(jobID), record.status.isTerminal, !record.chargeResolved {
                try await settlement.resolve(jobID: jobID, status: record.status, chargeID: record.chargeID, by: settings.consumer)
            }
            try await queue.ack(stream: delivery.stream, entryID: delivery.entryID)
            return
        }
        if job.attempt > settings.maxAttempts {
            try await giveUp(jobID: jobID, delivery: delivery, reason: "attempt \(job.attempt) > \(settings.maxAttempts)", logger: logger)
            return
        }
        let timeout = Duration.seconds(job.timeoutSeconds)
        if settings.reportToSupervisor {
            WorkerReport.send(.busy(
                job: jobID, attempt: job.attempt, stream: delivery.stream, entryID: delivery.entryID,
                deadline: Date().addingTimeInterval(timeout.timeInterval)
            ))
        }
        let started = ContinuousClock.now
        let outcome: JobOutcome
        do {
            let result = try registry.solve(code: job.problemCode, input: Data(job.input.utf8), deadline: Deadline(after: timeout))
            outcome = .completed(result: String(decoding: result, as: UTF8.self), processingTimeMs: Self.milliseconds(since: started))
        } catch let error where error == .timeout {
            outcome = .timeout(processingTimeMs: Self.milliseconds(since: started))
        } catch {
            outcome = .failed(SolveErrorRecord(error), processingTimeMs: Self.milliseconds(since: started))
        }
        if try await store.finish(id: jobID, attempt: job.attempt, outcome: outcome) {
            try await settlement.resolve(jobID: jobID, status: outcome.status, chargeID: job.chargeID, by: settings.consumer)
            logger.info("job finished", metadata: ["status": "\(outcome.status.rawValue)", "attempt": "\(job.attempt)"])
        } else {
            logger.warning("job outcome fenced out: another attempt or the supervisor owns it now")
        }
        try await queue.ack(stream: delivery.stream, entryID: delivery.entryID)
        if settings.reportToSupervisor { WorkerReport.send(.idle) }
    }

    /// Dead letter: the job ends `failed` with a refund and its entry is acked.
    func giveUp(jobID: UUID, delivery: JobQueue.Delivery, reason: String, logger: Logger) async throws {
        let error = SolveErrorRecord.deadLetter
        _ = try await store.fail(id: jobID, error: error)
        if let record = try await store.record(jobID), record.status.isTerminal {
            try await settlement.resolve(jobID: jobID, status: record.status, chargeID: record.chargeID, by: settings.consumer)
        }
        try await queue.deadLetter(jobID: jobID, reason: reason)
        try await queue.ack(stream: delivery.stream, entryID: delivery.entryID)
        logger.error("job dead-lettered", metadata: ["reason": "\(reason)"])
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        (ContinuousClock.now - start).wholeMilliseconds
    }
}
