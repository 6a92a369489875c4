import Foundation

/// How jobs are run, retried and timed out: read once from the environment and shared by the
/// processes that take part (the API's reconciler and submissions, the worker supervisor and
/// its worker processes), so both sides of a lease agree on its length.
public struct JobSettings: Sendable, Equatable {
    /// Worker processes per `mathfarm workers` supervisor (`MATHFARM_WORKER_PROCESSES`).
    public var workerProcesses: Int
    /// Pending queue entries idle longer than this are reclaimed by another worker.
    public var visibilityTimeout: Duration
    /// Past a job's timeout, how long the supervisor waits before SIGKILLing its worker.
    public var hardTimeoutGrace: Duration
    /// Claims per job before it is given up on (dead letter + refund).
    public var maxAttempts: Int
    /// Queue entries a worker process reads and claims at once.
    public var workerBatchSize: Int
    /// Solver threads per worker process.
    public var solverThreads: Int
    /// How long a worker waits to top up a batch that came back short (0: never).
    public var workerLinger: Duration
    /// Test-only problems (slow, runaway, crashing). Never set in production.
    public var diagnosticProblems: Bool

    public init(environment env: EnvironmentReader) throws {
        workerProcesses = try env.int("MATHFARM_WORKER_PROCESSES", default: max(1, ProcessInfo.processInfo.activeProcessorCount))
        visibilityTimeout = .milliseconds(try env.int("MATHFARM_VISIBILITY_TIMEOUT_MS", default: 30_000))
        hardTimeoutGrace = .milliseconds(try env.int("MATHFARM_HARD_TIMEOUT_GRACE_MS", default: 2_000))
        maxAttempts = try env.int("MATHFARM_MAX_ATTEMPTS", default: 3)
        workerBatchSize = try env.int("MATHFARM_WORKER_BATCH", default: 128)
        guard (1...1000).contains(workerBatchSize) else {
            throw ConfigurationError.invalid(key: "MATHFARM_WORKER_BATCH", value: String(workerBatchSize), expected: "between 1 and 1000")
        }
        solverThreads = try env.int("MATHFARM_SOLVER_THREADS", default: max(1, ProcessInfo.processInfo.activeProcessorCount))
        guard (1...256).contains(solverThreads) else {
            throw ConfigurationError.invalid(key: "MATHFARM_SOLVER_THREADS", value: String(solverThreads), expected: "between 1 and 256")
        }
        let lingerMs = try env.int("MATHFARM_WORKER_LINGER_MS", default: 0)
        guard (0...50).contains(lingerMs) else {
            throw ConfigurationError.invalid(key: "MATHFARM_WORKER_LINGER_MS", value: String(lingerMs), expected: "0 to 50 milliseconds")
        }
        workerLinger = .milliseconds(lingerMs)
        diagnosticProblems = try env.bool("MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS", default: false)
    }

    /// Lease on a claimed job: its timeout plus the supervisor's grace plus a margin, so the
    /// supervisor's fenced timeout write always lands before anyone may reclaim the job.
    public var leaseGrace: Duration { hardTimeoutGrace + .seconds(5) }
}
