import ArgumentParser
import Hummingbird
import SandboxGateway

/// `mathfarm sandbox-gateway`: the payment gateways' side on loopback (VNPay, MoMo and ZaloPay
/// pages, notifications with each gateway's retries, query and refund APIs; a bank that sends
/// payOS webhooks), for the demo and the tests.
struct SandboxGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-gateway", abstract: "Run the local payment-gateway sandbox (VNPay, MoMo, ZaloPay, bank transfer)."
    )

    func run() async throws {
        // It signs notifications with whatever keys it is given: a credit machine in production.
        try ProcessSetup.requireDevelopment("mathfarm sandbox-gateway")
        let logger = ProcessSetup.logger("mathfarm.sandbox")
        let app = SandboxGatewayApplication.application(configuration: try SandboxConfiguration(), logger: logger)
        try await app.runService()
    }
}
