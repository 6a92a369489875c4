import Foundation
import Logging
import MathFarmCore
import ServiceLifecycle

/// `mathfarm workers --processes N`: keeps N worker processes alive on this machine.
///
/// - Respawns a worker that died, with exponential backoff per slot (reset after a healthy minute).
/// - Enforces the hard deadline: a worker still busy `hardGrace` after its job's timeout is
///   SIGKILLed; the job ends `timeout` (fenced by its attempt) and is refunded.
/// - Cleans up after a crash: the job goes back to the queue, or, on its last attempt, to the
///   dead-letter stream with a refund. A job that kills every worker therefore costs three
///   workers and the customer nothing.
/// - On SIGTERM, forwards it: each worker finishes its job, then exits; stragglers past their
///   hard deadline are killed as above.
public actor WorkerSupervisor: Service {
    public struct Settings: Sendable {
        public var processes: Int
        public var executable: URL
        public var arguments: [String]
        public var environment: [String: String]
        public var hardGrace: Duration
        public var maxAttempts: Int

        public init(processes: Int, executable: URL, arguments: [String], environment: [String: String], hardGrace: Duration, maxAttempts: Int) {
            self.processes = processes
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.hardGrace = hardGrace
            self.maxAttempts = maxAttempts
        }
    }

    struct Busy: Sendable, Equatable {
        var job: UUID
        var attempt: Int
        var stream: String
        var entryID: String
        var deadline: Date
    }

    final class Slot {
        let index: Int
        var process: ChildProcess?
        var generation = 0
        var busy: Busy?
        var killedForTimeout: Busy?
        var startedAt = ContinuousClock.now
        var nextStart = ContinuousClock.now
        var backoff = Duration.milliseconds(100)

        init(index: Int) { self.index = index }
    }

    let settings: Settings
    let store: SolutionStore
    let settlement: JobSettlement
    let queue: JobQueue
    let logger: Logger
    private var slots: [Slot] = []
    private var draining = false
    /// Counters for tests and logs.
    public private(set) var crashes = 0
    public private(set) var hardKills = 0

    public init(settings: Settings, store: SolutionStore, settlement: JobSettlement, queue: JobQueue, logger: Logger) {
        self.settings = settings
        self.store = store
        self.settlement = settlement
        self.queue = queue
        self.logger = logger
    }

    public func run() async throws {
        slots = (0..<settings.processes).map(Slot.init(index:))
        await withGracefulShutdownHandler {
            await self.monitor()
        } onGracefulShutdown: {
            Task { await self.beginDrain() }
        }
    }

    func beginDrain() {
        guard !draining else { return }
        draining = true
        logger.info("draining workers")
        for slot in slots {
            slot.process?.signal(SIGTERM)
        }
    }

    private func monitor() async {
        while true {
            let now = ContinuousClock.now
            for slot in slots {
                if let process = slot.process {
                    if let status = process.poll() {
                        await handleExit(slot, status: status)
                    } else if let busy = slot.busy, slot.killedForTimeout == nil,
                              Date() > busy.deadline.addingTimeInterval(settings.hardGrace.timeInterval) {
                        logger.error("worker overran its job's hard deadline; killing it", metadata: ["job": "\(busy.job)", "pid": "\(process.pid)"])
                        slot.killedForTimeout = busy
                        hardKills += 1
                        process.signal(SIGKILL)
                    }
                }
                if slot.process == nil, !draining, now >= slot.nextStart {
                    spawn(slot)
                }
            }
            if draining, slots.allSatisfy({ $0.process == nil }) { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    private func spawn(_ slot: Slot) {
        slot.generation += 1
        let generation = slot.generation
        let index = slot.index
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: settings.executable.path, arguments: settings.arguments,
                environment: workerEnvironment(slot: slot.index)
            ) { [weak self] line in
                guard let report = WorkerReport(line: line), let self else { return }
                Task { await self.received(report, slot: index, generation: generation) }
            }
        } catch {
            logger.error("cannot start a worker process", metadata: ["error": "\(error)"])
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
            return
        }
        slot.process = process
        slot.busy = nil
        slot.killedForTimeout = nil
        slot.startedAt = ContinuousClock.now
        logger.info("worker started", metadata: ["slot": "\(slot.index)", "pid": "\(process.pid)"])
    }

    /// The worker's environment: the supervisor's, its slot, and no Swift crash backtracer
    /// unless the operator asked for one. Symbolicating a crash takes seconds, during which the
    /// dying worker still holds its job and would be mistaken for one overrunning its deadline;
    /// the supervisor logs the exit status of every crash anyway.
    private func workerEnvironment(slot: Int) -> [String: String] {
        var environment = settings.environment
        environment["MATHFARM_WORKER_SLOT"] = String(slot)
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        return environment
    }

    func received(_ report: WorkerReport, slot index: Int, generation: Int) {
        guard index < slots.count, slots[index].generation == generation else { return }
        switch report {
        case .busy(let job, let attempt, let stream, let entryID, let deadline):
            slots[index].busy = Busy(job: job, attempt: attempt, stream: stream, entryID: entryID, deadline: deadline)
        case .idle:
            slots[index].busy = nil
        }
    }

    private func handleExit(_ slot: Slot, status: Int32) async {
        // The worker's last report (say, `busy` just before a crash) may still be on its way
        // from the reader thread; let it land before deciding what the worker was doing.
        try? await Task.sleep(for: .milliseconds(50))
        let busy = slot.busy
        let timedOut = slot.killedForTimeout
        slot.process = nil
        slot.busy = nil
        slot.killedForTimeout = nil
        if ContinuousClock.now - slot.startedAt > .seconds(60) { slot.backoff = .milliseconds(100) }
        if let timedOut {
            await recordTimeout(timedOut)
            slot.nextStart = ContinuousClock.now
        } else if let busy {
            crashes += 1
            logger.error("worker died during a job", metadata: ["job": "\(busy.job)", "status": "\(status)"])
            await recoverCrashedJob(busy)
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
        } else if !draining {
            logger.warning("worker exited", metadata: ["slot": "\(slot.index)", "status": "\(status)"])
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
        }
    }

    /// The hard deadline passed: the attempt ends `timeout` and the hold is refunded. Not retried.
    private func recordTimeout(_ busy: Busy) async {
        do {
            if try await store.finish(id: busy.job, attempt: busy.attempt, outcome: .timeout(processingTimeMs: nil)) {
                if let record = try await store.record(busy.job) {
                    try await settlement.resolve(jobID: busy.job, status: record.status, chargeID: record.chargeID, by: "supervisor")
                }
            }
            try await queue.ack(stream: busy.stream, entryID: busy.entryID)
        } catch {
            logger.error("could not record a hard timeout; the reconciler will", metadata: ["job": "\(busy.job)", "error": "\(error)"])
        }
    }

    /// The worker died mid-job: retry it, or give up on its last attempt.
    private func recoverCrashedJob(_ busy: Busy) async {
        do {
            if busy.attempt >= settings.maxAttempts {
                let error = SolveErrorRecord.deadLetter
                if try await store.fail(id: busy.job, error: error), let record = try await store.record(busy.job) {
                    try await settlement.resolve(jobID: busy.job, status: record.status, chargeID: record.chargeID, by: "supervisor")
                }
                try await queue.deadLetter(jobID: busy.job, reason: "worker crashed on attempt \(busy.attempt)")
            } else if try await store.release(id: busy.job, attempt: busy.attempt) {
                let priority = queue.priority(ofStream: busy.stream)
                let entry = try await queue.enqueue(jobID: busy.job, priority: priority)
                try await store.setQueueEntry(id: busy.job, stream: entry.stream, entryID: entry.entryID)
            }
            try await queue.ack(stream: busy.stream, entryID: busy.entryID)
        } catch {
            logger.error("could not recover a crashed job; the reconciler will", metadata: ["job": "\(busy.job)", "error": "\(error)"])
        }
    }
}
