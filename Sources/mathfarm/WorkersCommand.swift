import ArgumentParser
import CProcessControl
import Foundation
import MathFarmCore
import ServiceLifecycle
import SolverService

/// `mathfarm workers --processes N`: the per-machine supervisor of N worker processes.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers", abstract: "Run and supervise a pool of solver worker processes on this machine."
    )

    @Option(name: .long, help: "Worker processes (default: MATHFARM_WORKER_PROCESSES, else the number of cores).")
    var processes: Int?

    func validate() throws {
        if let processes, !(1...256).contains(processes) { throw ValidationError("--processes must be between 1 and 256") }
    }

    func run() async throws {
        let logger = ProcessSetup.logger("mathfarm.workers")
        let services = try WorkerServices(configuration: try WorkerConfiguration(), logger: logger)
        let configuration = services.configuration.jobs
        // Refused credentials stop the supervisor here, naming the variable, rather than
        // every worker it would start retrying forever.
        try await services.redis.verifyCredentials(logger: logger)
        let supervisor = WorkerSupervisor(
            settings: .init(
                processes: processes ?? configuration.workerProcesses,
                executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                arguments: ["worker"],
                environment: ProcessInfo.processInfo.environment,
                hardGrace: configuration.hardTimeoutGrace,
                maxAttempts: configuration.maxAttempts
            ),
            lifecycle: services.jobLifecycle, logger: logger
        )
        let group = ServiceGroup(configuration: .init(
            services: [services.pools, supervisor], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}

/// `mathfarm worker`: one worker process (started by `mathfarm workers`, which reads its stdout).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "One solver worker process (normally started by `mathfarm workers`).", shouldDisplay: false
    )

    @Flag(name: .long, help: "Do not report to a supervisor on stdout (running a worker by hand).")
    var standalone = false

    func run() async throws {
        if !standalone {
            // Die with the supervisor: an orphaned worker would keep taking jobs nobody watches.
            _ = mathfarm_set_parent_death_signal(SIGTERM)
            if getppid() == 1 { throw ExitCode(1) }
        }
        let slot = ProcessInfo.processInfo.environment["MATHFARM_WORKER_SLOT"] ?? "0"
        var logger = ProcessSetup.logger("mathfarm.worker")
        let host = ProcessInfo.processInfo.hostName
        let consumer = "\(host)-\(getpid())"
        logger[metadataKey: "consumer"] = "\(consumer)"
        logger[metadataKey: "slot"] = "\(slot)"
        let services = try WorkerServices(configuration: try WorkerConfiguration(), logger: logger)
        let configuration = services.configuration.jobs
        try await services.redis.verifyCredentials(logger: logger)
        let reader = services.blockingReader()
        var lifecycle = services.jobLifecycle
        if configuration.diagnosticProblems, let marker = ProcessInfo.processInfo.environment["MATHFARM_TEST_KILL_AFTER_OUTCOMES"] {
            // Fault suite only: the first worker to write a batch's outcomes dies right there,
            // before the batch's holds are resolved (the marker file makes it happen once).
            lifecycle.crashPoints.afterOutcomesWritten = {
                let fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0o644)
                guard fd >= 0 else { return }
                close(fd)
                kill(getpid(), SIGKILL)
            }
        }
        let worker = JobWorker(
            settings: .init(
                consumer: consumer, visibilityTimeout: configuration.visibilityTimeout, leaseGrace: configuration.leaseGrace,
                maxAttempts: configuration.maxAttempts, reportToSupervisor: !standalone,
                batchSize: configuration.workerBatchSize, maxInFlight: 4 * configuration.workerBatchSize,
                solverThreads: configuration.solverThreads, linger: configuration.workerLinger
            ),
            lifecycle: lifecycle, registry: services.solverRegistry, reader: reader, queue: services.jobQueue, logger: logger
        )
        let group = ServiceGroup(configuration: .init(
            services: [services.pools, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}
