import Foundation
import Logging
import MathFarmCore
import MathFarmHTTP

/// Shared start-up of every subcommand: logging and configuration from the environment.
enum ProcessSetup {
    nonisolated(unsafe) private static var loggingBootstrapped = false

    static func logger(_ label: String) -> Logger {
        if !loggingBootstrapped {
            loggingBootstrapped = true
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }

    static func configuration() throws -> MathFarmConfiguration {
        try MathFarmConfiguration()
    }

    /// Runs `body` with every database pool open, then closes them.
    static func withServices<T: Sendable>(
        logger: Logger, _ body: @Sendable (MathFarmServices) async throws -> T
    ) async throws -> T {
        let services = try await MathFarmServices(configuration: try configuration(), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.pools.run() }
            defer { group.cancelAll() }
            return try await body(services)
        }
    }
}
