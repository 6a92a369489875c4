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
    /// The merchant keys the sandbox signs and verifies with, all required (a sandbox without
    /// them could only sign with an empty key).
    public var keys: SandboxKeys

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
        let gateway = try gateway ?? DepositConfiguration(environment: env)
        self.gateway = gateway
        keys = try SandboxKeys(gateway)
    }
}

/// `SandboxConfiguration.keys`.
public struct SandboxKeys: Sendable {
    public var vnpayHashSecret: String
    public var momoAccessKey: String
    public var momoSecretKey: String
    public var zaloPayKey1: String
    public var zaloPayKey2: String
    public var bankWebhookChecksumKey: String

    init(_ gateway: DepositConfiguration) throws {
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value = GatewaySignature.usable(value) else {
                throw ConfigurationError.invalid(key: name, value: "(unset)", expected: "the sandbox's merchant key")
            }
            return value
        }
        vnpayHashSecret = try required(gateway.vnpayHashSecret, "MATHFARM_VNPAY_HASH_SECRET")
        momoAccessKey = try required(gateway.momoAccessKey, "MATHFARM_MOMO_ACCESS_KEY")
        momoSecretKey = try required(gateway.momoSecretKey, "MATHFARM_MOMO_SECRET_KEY")
        zaloPayKey1 = try required(gateway.zaloPayKey1, "MATHFARM_ZALOPAY_KEY1")
        zaloPayKey2 = try required(gateway.zaloPayKey2, "MATHFARM_ZALOPAY_KEY2")
        bankWebhookChecksumKey = try required(gateway.bankWebhookChecksumKey, "MATHFARM_BANK_WEBHOOK_KEY")
    }
}
