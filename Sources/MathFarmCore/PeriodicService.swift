import Logging
import ServiceLifecycle

/// Runs a piece of maintenance work every `interval` until graceful shutdown.
///
/// Errors are logged and the loop goes on: a database blip must not stop the outbox relay or
/// the session sweeper for the life of the process.
public struct PeriodicService: Service {
    public let name: String
    public let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
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
    }
}
