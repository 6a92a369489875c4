import Foundation
import MathFarmCore
import PaymentService

/// Where the sandbox listens, where it delivers notifications, how it retries. The gateway
/// credentials are the merchant's own (`DepositConfiguration`, from the same environment), as a
/// real gateway and its merchant share them.
public struct SandboxConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The merchant's VNPay IPN URL (registered with VNPay in real life, not sent per request).
    public var vnpayIPNURL: String
    /// The merchant's bank-transfer webhook (payOS format).
    public var bankWebhookURL: String
    /// Delay between notification retries; VNPay documents 5 minutes, compressed here.
    public var retryDelay: Duration
    public var vnpayMaxAttempts: Int
    /// MoMo re-sends its IPN until it gets a 204; how often is undocumented, so configurable.
    public var momoMaxAttempts: Int
    /// ZaloPay calls back at most 3 times.
    public var zaloPayMaxAttempts: Int
    public var gateway: DepositConfiguration

    /// Refuses production: the sandbox signs notifications with the merchant's own keys.
    public init(environment env: EnvironmentReader = EnvironmentReader(), gateway: DepositConfiguration? = nil) throws {
        guard try gateway?.mode ?? DeploymentMode(environment: env) == .development else {
            throw ConfigurationError.refusedInProduction("the sandbox gateway")
        }
        host = env.string("MATHFARM_SANDBOX_HOST", default: "127.0.0.1")
        port = try env.int("MATHFARM_SANDBOX_PORT", default: 8090)
        let merchant = env.string("MATHFARM_PUBLIC_URL", default: "http://127.0.0.1:8080")
        vnpayIPNURL = env.string("MATHFARM_SANDBOX_VNPAY_IPN_URL", default: "\(merchant)/api/v1/payments/vnpay/ipn")
        bankWebhookURL = env.string("MATHFARM_SANDBOX_BANK_WEBHOOK_URL", default: "\(merchant)/api/v1/payments/bank/webhook")
        retryDelay = .milliseconds(try env.int("MATHFARM_SANDBOX_RETRY_DELAY_MS", default: 2_000))
        vnpayMaxAttempts = try env.int("MATHFARM_SANDBOX_VNPAY_ATTEMPTS", default: 10)
        momoMaxAttempts = try env.int("MATHFARM_SANDBOX_MOMO_ATTEMPTS", default: 5)
        zaloPayMaxAttempts = try env.int("MATHFARM_SANDBOX_ZALOPAY_ATTEMPTS", default: 3)
        self.gateway = try gateway ?? DepositConfiguration(environment: env)
    }
}
