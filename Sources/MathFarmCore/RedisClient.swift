import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// A thread-safe Redis client over a small pool of hiredis connections.
///
/// hiredis is blocking, so commands run on the client's own threads, one per connection
/// (`RedisConfiguration.poolSize`): up to that many commands of a process are in flight at once,
/// and none ever blocks the cooperative pool or NIO's shared blocking pool. A lost connection is
/// dropped and the next command opens a new one, so a Redis restart costs callers one error
/// each, never a crash; callers that must not give up use `commandWithRetry`.
///
/// Behind Sentinel the client follows failovers: a connection lost, a `READONLY`/`UNBLOCKED`
/// reply from a demoted primary, or a `+switch-master` message (watched on one Sentinel while the
/// client lives) makes it ask the Sentinels for the new primary. A command refused with
/// `READONLY` was not executed, so it is sent once more to the new primary; other failures reach
/// the caller. Replication is asynchronous, so a failover can lose the last entries written:
/// PostgreSQL is the record and the reconciler rings again for queued jobs Redis lost.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let locator: RedisPrimaryLocator
    private let threads: NIOThreadPool
    private let idle = NIOLockedValueBox<[PooledConnection]>([])
    private let failoverWatcher: SentinelFailoverWatcher?

    private final class PooledConnection: @unchecked Sendable {
        let connection: RedisConnection
        let generation: Int
        init(_ connection: RedisConnection, generation: Int) {
            self.connection = connection
            self.generation = generation
        }
    }

    public init(configuration: RedisConfiguration, logger: Logger? = nil) {
        self.configuration = configuration
        let locator = RedisPrimaryLocator(configuration: configuration)
        self.locator = locator
        threads = NIOThreadPool(numberOfThreads: configuration.poolSize)
        threads.start()
        if configuration.sentinel != nil {
            failoverWatcher = SentinelFailoverWatcher(locator: locator, logger: logger ?? Logger(label: "mathfarm.redis"))
        } else {
            failoverWatcher = nil
        }
    }

    /// A client for a URL alone (tools and tests; services read `RedisConfiguration` from the environment).
    public convenience init(url: String, timeout: Duration = .seconds(2)) throws {
        self.init(configuration: try RedisConfiguration(url: url, timeout: timeout))
    }

    deinit {
        failoverWatcher?.stop()
        threads.shutdownGracefully { _ in }
    }

    /// The primary the client last reached (for logs and `/readyz`).
    public var currentPrimary: String? { locator.currentPrimary?.description }

    /// Runs one command. `blockFor` is how long the command may legitimately block server-side
    /// (XREADGROUP BLOCK); the socket timeout is extended by it.
    @discardableResult
    public func command(_ arguments: [String], blockFor: Duration = .zero) async throws -> RedisReply {
        try await withConnection(blockFor: blockFor) { try $0.command(arguments) }
    }

    /// Runs `commands` as one pipeline (one round trip). Error replies are returned in place as
    /// `.error`, so one refused command does not hide the others' results.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        return try await withConnection { connection in
            let replies = try connection.pipeline(commands)
            // A demoted primary refuses every write of the pipeline: send it to the new primary.
            if let refusal = replies.lazy.compactMap({ reply -> RedisError? in
                if case .error(let message) = reply { return RedisError(message, kind: .reply) }
                return nil
            }).first(where: \.meansNotPrimary) {
                throw refusal
            }
            return replies
        }
    }

    /// Checks that the server takes this client's credentials and answers, at start-up: a
    /// process that cannot authenticate stops with a message naming the variable instead of
    /// retrying forever. An unreachable server is not an error here (it may come back; the
    /// doorbell is rung again by the reconciler).
    public func verifyCredentials(logger: Logger) async throws {
        do {
            try await command(["PING"])
            logger.info("redis reachable", metadata: ["redis": "\(configuration.summary)", "primary": "\(currentPrimary ?? "?")"])
        } catch let error as RedisError where error.kind == .authentication {
            throw error
        } catch {
            logger.warning("redis unreachable at start-up; going on", metadata: ["redis": "\(configuration.summary)", "error": "\(error)"])
        }
    }

    /// Runs `body` on a pooled connection (opened or re-opened as needed) on one of the client's
    /// threads. A lost connection is dropped; a refusal that means the server is no longer the
    /// primary makes the locator look again and `body` runs once more on the new primary.
    private func withConnection<T: Sendable>(blockFor: Duration = .zero, _ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        let locator = locator, idle = idle, timeout = configuration.timeout
        return try await threads.runIfActive {
            func attempt() throws -> T {
                let currentGeneration = locator.generation
                var pooled = idle.withLockedValue { $0.popLast() }
                if let existing = pooled, existing.connection.isBroken || existing.generation != currentGeneration {
                    pooled = nil  // closed on release
                }
                let connection: PooledConnection
                if let pooled {
                    connection = pooled
                } else {
                    let (opened, generation) = try locator.connect()
                    connection = PooledConnection(opened, generation: generation)
                }
                connection.connection.setTimeout(timeout + blockFor)
                do {
                    let result = try body(connection.connection)
                    idle.withLockedValue { $0.append(connection) }
                    return result
                } catch let error as RedisError where error.kind == .connection || error.meansNotPrimary {
                    locator.invalidate(generation: connection.generation)
                    throw error
                } catch {
                    idle.withLockedValue { $0.append(connection) }
                    throw error
                }
            }
            do {
                return try attempt()
            } catch let error as RedisError where error.meansNotPrimary && locator.configuration.sentinel != nil {
                // Refused, so not executed: safe to send again, once, to the primary found now.
                return try attempt()
            }
        }
    }

    /// Retries `command` with exponential backoff (100 ms doubling to 5 s) until it succeeds
    /// or the task is cancelled. Error replies from the server are not retried; refused
    /// credentials are logged as errors naming the variable to fix, and retried (an operator
    /// may be rotating them).
    @discardableResult
    public func commandWithRetry(_ arguments: [String], logger: Logger) async throws -> RedisReply {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await command(arguments)
            } catch let error as RedisError where !error.isReply {
                if error.kind == .authentication {
                    logger.error("redis refused the credentials, retrying", metadata: ["error": "\(error)", "delay_ms": "\(delay.wholeMilliseconds)"])
                } else {
                    logger.warning("redis unavailable, retrying", metadata: ["error": "\(error)", "delay_ms": "\(delay.wholeMilliseconds)"])
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
