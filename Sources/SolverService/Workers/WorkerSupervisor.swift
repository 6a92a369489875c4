import Foundation
import Logging
import MathFarmCore
import ServiceLifecycle

/// `mathfarm workers --processes N`: keeps N worker processes alive on this machine.
///
/// - Respawns a worker that died, with exponential backoff per slot (reset after a healthy minute).
/// - Enforces the hard deadline: a worker with a solve still running `hardGrace` after that
///   job's timeout is SIGKILLed; that job ends `timeout` (fenced by its attempt) and is
///   refunded, the other attempts the worker held go back to the queue.
/// - Cleans up after a crash: every attempt the worker held goes back to the queue, or, on its
///   last attempt, to the dead-letter stream with a refund. Workers solve a retried job alone,
///   so a job that kills every worker costs three workers and the customer nothing.
/// - On SIGTERM, forwards it: each worker finishes the attempts it holds, then exits;
///   stragglers past their hard deadline are killed as above.
///
/// Every job transition goes through `JobLifecycle`; the supervisor only knows, from its
/// workers' reports (`WorkerReport`), which attempts each one holds.
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

    /// An attempt a worker holds, and (once its solve began) the deadline of that solve.
    struct HeldAttempt: Sendable, Equatable {
        var attempt: JobLifecycle.Attempt
        var deadline: Date?
    }

    final class Slot {
        let index: Int
        var process: ChildProcess?
        var generation = 0
        var held: [UUID: HeldAttempt] = [:]
        var killedForTimeout: [UUID] = []
        /// Every report of the current process has been applied (its stdout closed).
        var reportsDrained = true
        var startedAt = ContinuousClock.now
        var nextStart = ContinuousClock.now
        var backoff = Duration.milliseconds(100)

        init(index: Int) { self.index = index }

        /// Held attempts whose solve is past its deadline plus `grace`.
        func overdue(grace: Duration, now: Date) -> [UUID] {
            held.compactMap { id, held in
                guard let deadline = held.deadline, now > deadline.addingTimeInterval(grace.timeInterval) else { return nil }
                return id
            }
        }
    }

    let settings: Settings
    let lifecycle: JobLifecycle
    let logger: Logger
    private var slots: [Slot] = []
    private var draining = false
    /// Counters for tests and logs.
    public private(set) var crashes = 0
    public private(set) var hardKills = 0

    public init(settings: Settings, lifecycle: JobLifecycle, logger: Logger) {
        self.settings = settings
        self.lifecycle = lifecycle
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
                    } else if slot.killedForTimeout.isEmpty, case let overdue = slot.overdue(grace: settings.hardGrace, now: Date()), !overdue.isEmpty {
                        logger.error("worker overran a job's hard deadline; killing it", metadata: ["jobs": "\(overdue)", "pid": "\(process.pid)"])
                        slot.killedForTimeout = overdue
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
        // Reports are applied in the order the worker wrote them (a `started` must not overtake
        // its `claimed`), by one task that ends when the worker's stdout closes.
        let (reports, feed) = AsyncStream.makeStream(of: WorkerReport.self)
        do {
            process = try ChildProcess(
                executable: settings.executable.path, arguments: settings.arguments,
                environment: workerEnvironment(slot: slot.index),
                onLine: { line in
                    if let report = WorkerReport(line: line) { feed.yield(report) }
                },
                onEnd: { feed.finish() }
            )
        } catch {
            feed.finish()
            logger.error("cannot start a worker process", metadata: ["error": "\(error)"])
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
            return
        }
        slot.process = process
        slot.held = [:]
        slot.killedForTimeout = []
        slot.reportsDrained = false
        slot.startedAt = ContinuousClock.now
        Task { [weak self] in
            for await report in reports { await self?.received(report, slot: index, generation: generation) }
            await self?.reportsEnded(slot: index, generation: generation)
        }
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
        let slot = slots[index]
        switch report {
        case .claimed(let attempts):
            for attempt in attempts {
                let delivery = JobQueue.Delivery(stream: attempt.stream, entryID: attempt.entryID, jobID: attempt.job)
                slot.held[attempt.job] = HeldAttempt(attempt: .init(jobID: attempt.job, attempt: attempt.attempt, delivery: delivery), deadline: nil)
            }
        case .started(let job, let deadline):
            slot.held[job]?.deadline = deadline
        case .done(let jobs):
            for job in jobs { slot.held[job] = nil }
        }
    }

    func reportsEnded(slot index: Int, generation: Int) {
        guard index < slots.count, slots[index].generation == generation else { return }
        slots[index].reportsDrained = true
    }

    private func handleExit(_ slot: Slot, status: Int32) async {
        // The worker's last reports (say, `claimed` just before a crash) may still be on their
        // way from the reader thread; let them land before deciding what the worker held. (A
        // grandchild holding the pipe open would keep it from closing: wait a second at most.)
        let waitLimit = ContinuousClock.now + .seconds(1)
        while !slot.reportsDrained, ContinuousClock.now < waitLimit {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let held = slot.held
        let timedOut = Set(slot.killedForTimeout)
        slot.process = nil
        slot.held = [:]
        slot.killedForTimeout = []
        if ContinuousClock.now - slot.startedAt > .seconds(60) { slot.backoff = .milliseconds(100) }
        if !timedOut.isEmpty {
            await recover(held, timedOut: timedOut)
            slot.nextStart = ContinuousClock.now
        } else if !held.isEmpty {
            crashes += 1
            logger.error("worker died holding attempts", metadata: ["jobs": "\(held.count)", "status": "\(status)"])
            await recover(held, timedOut: [])
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
        } else if !draining {
            logger.warning("worker exited", metadata: ["slot": "\(slot.index)", "status": "\(status)"])
            slot.nextStart = ContinuousClock.now + slot.backoff
            slot.backoff = min(slot.backoff * 2, .seconds(5))
        }
    }

    /// The attempts of a worker that is gone: those killed at their hard deadline end
    /// `timeout` (refunded, not retried); the others go back to the queue or, on their last
    /// attempt, are abandoned with a refund.
    private func recover(_ held: [UUID: HeldAttempt], timedOut: Set<UUID>) async {
        let overran = held.values.filter { timedOut.contains($0.attempt.jobID) }.map(\.attempt)
        let interrupted = held.values.filter { !timedOut.contains($0.attempt.jobID) }.map(\.attempt)
        do {
            try await lifecycle.timeOut(overran, by: "supervisor")
            try await lifecycle.recoverCrashed(interrupted, maxAttempts: settings.maxAttempts, by: "supervisor")
        } catch {
            // Their leases expire and the reconciler (or an XAUTOCLAIM) takes over.
            logger.error("could not recover a dead worker's attempts; the reconciler will", metadata: [
                "jobs": "\(held.count)", "error": "\(error)",
            ])
        }
    }
}
