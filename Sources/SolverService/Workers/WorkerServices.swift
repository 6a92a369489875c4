import Logging
import MathFarmCore
import MathSolvers
import PaymentService

/// The service graph of a worker host: Redis, the solver and payment databases, the solvers and
/// the job lifecycle, and nothing else.
///
/// A worker (or its supervisor) respawns often and runs on machines that only solve: it opens
/// two database pools instead of five, loads no web templates, hashes no password and holds no
/// token or settings key (`WorkerConfiguration`).
public struct WorkerServices: Sendable {
    public let configuration: WorkerConfiguration
    public let pools: DatabasePools
    public let redis: RedisClient
    public let jobQueue: JobQueue
    public let solverRegistry: SolverRegistry
    /// The one owner of every job transition and job charge.
    public let jobLifecycle: JobLifecycle

    public init(configuration: WorkerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        pools = try DatabasePools(urls: configuration.databases, logger: logger)
        redis = RedisClient(configuration: configuration.redis, logger: logger)
        jobQueue = JobQueue(redis: redis, prefix: configuration.redisPrefix)
        solverRegistry = SolverRegistry(diagnosticsEnabled: configuration.jobs.diagnosticProblems)
        jobLifecycle = JobLifecycle(
            store: SolutionStore(database: pools[.solver]), ledger: Ledger(database: pools[.payment]), queue: jobQueue, logger: logger
        )
    }

    /// A queue on a connection of its own, for blocking reads (`XREADGROUP BLOCK`), so acks and
    /// claims of the same process never wait behind one.
    public func blockingReader() -> JobQueue {
        var single = configuration.redis
        single.poolSize = 1
        return JobQueue(redis: RedisClient(configuration: single), prefix: configuration.redisPrefix)
    }
}
