import Logging
import ServiceLifecycle

/// Runs a piece of maintenance work every `interval` until graceful shutdown.
///
/// Errors are logged and the loop goes on: a database blip must not stop the outbox relay or
/// the session sweeper for the life of the process.
public struct PeriodicService: Service {
    public let name: String
    public let interval: Duration
    /// Runs the work once more at shutdown (bounded by `finalRunLimit`), for work that holds
    /// state in memory between runs, such as batched view counts.
    public let runsAtShutdown: Bool
    public static let finalRunLimit: Duration = .seconds(5)
    let logger: Logger
    let work: @Sendable () async throws -> Void

    public init(
        name: String, interval: Duration, runsAtShutdown: Bool = false, logger: Logger,
        work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.runsAtShutdown = runsAtShutdown
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("periodic task failed", metadata: ["task": "\(name)", "error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        if runsAtShutdown { await finalRun() }
    }

    /// The last run, in a task of its own: this one is cancelled by now, and the work's
    /// queries would refuse to start under cancellation.
    private func finalRun() async {
        let work = self.work
        let last = Task { try await work() }
        let watchdog = Task {
            try await Task.sleep(for: Self.finalRunLimit)
            last.cancel()
        }
        do {
            try await last.value
        } catch {
            logger.warning("final run at shutdown failed", metadata: ["task": "\(name)", "error": "\(String(reflecting: error))"])
        }
        watchdog.cancel()
    }
}
