import Foundation
import Logging
import MathFarmCore
import MathFarmHTTP
import PaymentService

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
                // Request fields reach log lines: none may start a line of its own.
                return EscapingLogHandler(wrapping: handler)
            }
        }
        return Logger(label: label)
    }

    /// The configuration of a service process. In production, every offending variable (core
    /// secrets and gateway credentials) is named at once, and the process exits non-zero.
    static func configuration() throws -> MathFarmConfiguration {
        let environment = EnvironmentReader()
        let mode = try DeploymentMode(environment: environment)
        var problems = RepositorySecrets.problems(in: environment, mode: mode)
        for problem in DepositConfiguration.problems(in: environment, mode: mode) where !problems.contains(problem) {
            problems.append(problem)
        }
        guard problems.isEmpty else { throw ConfigurationError.insecure(problems) }
        return try MathFarmConfiguration(environment: environment)
    }

    /// For commands that must never run in production (demo data, the sandbox gateway).
    static func requireDevelopment(_ what: String) throws {
        guard try DeploymentMode(environment: EnvironmentReader()) == .development else {
            throw ConfigurationError.refusedInProduction(what)
        }
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
