import ArgumentParser
import Hummingbird
import MathFarmHTTP

/// `mathfarm api`: serves the HTTP API, plus the outbox relay and maintenance loops.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "Run the HTTP API.")

    func run() async throws {
        let logger = ProcessSetup.logger("mathfarm.api")
        let services = try await MathFarmServices(configuration: try ProcessSetup.configuration(), logger: logger)
        try await services.redis.verifyCredentials(logger: logger)
        MathFarmApplication.bootstrapMetrics(services: services)
        let app = MathFarmApplication.application(services: services)
        try await app.runService()
    }
}
