import AsyncHTTPClient
import Hummingbird
import Logging

/// `mathfarm sandbox-gateway`: VNPay, MoMo, ZaloPay and a bank (payOS webhook) on loopback,
/// for the demo and the tests, speaking the same signed protocols as the real services.
public enum SandboxGatewayApplication {
    public static func router(configuration: SandboxConfiguration, orders: SandboxOrders, client: HTTPClient = .shared, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        let delivery = NotificationDelivery(client: client, delay: configuration.retryDelay, logger: logger)
        router.get("healthz") { _, _ in "ok" }
        VNPaySandbox(configuration: configuration, orders: orders, delivery: delivery).register(on: router)
        MoMoSandbox(configuration: configuration, orders: orders, delivery: delivery).register(on: router)
        ZaloPaySandbox(configuration: configuration, orders: orders, delivery: delivery).register(on: router)
        BankSandbox(configuration: configuration, delivery: delivery).register(on: router)
        return router
    }

    public static func application(configuration: SandboxConfiguration, orders: SandboxOrders = SandboxOrders(), logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(configuration: configuration, orders: orders, logger: logger),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            logger: logger
        )
    }
}
