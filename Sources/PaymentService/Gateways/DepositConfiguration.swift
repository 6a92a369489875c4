import Foundation
import MathFarmCore

/// Gateway credentials and endpoints, from the environment only (never the database).
///
/// In development the gateways' public sandbox credentials (research/payments.md §1.8, §2.5,
/// §3.5) and a development bank-webhook key fill what is unset
/// (`RepositorySecrets.developmentEnvironment`), so a local run works out of the box. Production
/// has no defaults: a gateway whose credentials are not set is
/// disabled (not listed, its endpoints answer `gateway_disabled`), a public sandbox key is
/// refused at start-up (`RepositorySecrets`), and an enabled gateway needs its API URL and
/// `MATHFARM_PUBLIC_URL`.
public struct DepositConfiguration: Sendable {
    /// A gateway integration that is on or off as a whole.
    public enum Gateway: String, Sendable, CaseIterable {
        case vnpay, momo, zalopay
        /// Bank transfer and VietQR (`bank_transfer`, `qr_code`): the receiving account.
        case bank
        /// The payOS webhook that confirms bank transfers automatically (staff can confirm by hand
        /// without it).
        case bankWebhook = "bank_webhook"
    }

    public var mode: DeploymentMode
    /// Where gateways send the customer back and post their notifications.
    public var publicURL: String
    public var depositTTL: Duration

    public var vnpayTmnCode: String
    public var vnpayHashSecret: String?
    public var vnpayPayURL: String
    /// querydr and refund endpoint.
    public var vnpayAPIURL: String

    public var momoPartnerCode: String
    public var momoAccessKey: String?
    public var momoSecretKey: String?
    /// MoMo's API host (create, query, refund under /v2/gateway/api/).
    public var momoAPIURL: String

    public var zaloPayAppID: Int
    public var zaloPayKey1: String?
    public var zaloPayKey2: String?
    /// ZaloPay's API host (/v2/create, /v2/query, /v2/refund).
    public var zaloPayAPIURL: String

    /// The account that receives bank transfers and VietQR payments.
    public var bankBIN: String
    public var bankAccount: String
    public var bankAccountName: String
    /// payOS checksum key for the bank-transfer webhook.
    public var bankWebhookChecksumKey: String?

    public init(environment env: EnvironmentReader = EnvironmentReader()) throws {
        mode = try DeploymentMode(environment: env)
        let problems = Self.problems(in: env, mode: mode)
        guard problems.isEmpty else { throw ConfigurationError.insecure(problems) }
        // In development the sandbox credentials come from `resolved(for:)`. A secret is read as
        // it is, never with a fallback: unset is nil, which disables its gateway (`isEnabled`),
        // and the gateways' verify functions refuse to accept a signature without it. Endpoints and codes unset read as
        // empty (they are not secrets; `isEnabled` needs them too).
        let resolved = env.resolved(for: mode)
        func value(_ key: String) -> String { resolved.optionalString(key) ?? "" }
        publicURL = env.string("MATHFARM_PUBLIC_URL", default: "http://127.0.0.1:8080")
        depositTTL = .seconds(try env.int("MATHFARM_DEPOSIT_TTL_SECONDS", default: 900))
        vnpayTmnCode = value("MATHFARM_VNPAY_TMN_CODE")
        vnpayHashSecret = resolved.optionalString("MATHFARM_VNPAY_HASH_SECRET")
        vnpayPayURL = value("MATHFARM_VNPAY_PAY_URL")
        vnpayAPIURL = value("MATHFARM_VNPAY_API_URL")
        momoPartnerCode = value("MATHFARM_MOMO_PARTNER_CODE")
        momoAccessKey = resolved.optionalString("MATHFARM_MOMO_ACCESS_KEY")
        momoSecretKey = resolved.optionalString("MATHFARM_MOMO_SECRET_KEY")
        momoAPIURL = value("MATHFARM_MOMO_API_URL")
        zaloPayAppID = try resolved.int("MATHFARM_ZALOPAY_APP_ID", default: 0)
        zaloPayAPIURL = value("MATHFARM_ZALOPAY_API_URL")
        zaloPayKey1 = resolved.optionalString("MATHFARM_ZALOPAY_KEY1")
        zaloPayKey2 = resolved.optionalString("MATHFARM_ZALOPAY_KEY2")
        bankBIN = value("MATHFARM_BANK_BIN")
        bankAccount = value("MATHFARM_BANK_ACCOUNT")
        bankAccountName = value("MATHFARM_BANK_ACCOUNT_NAME")
        bankWebhookChecksumKey = resolved.optionalString("MATHFARM_BANK_WEBHOOK_KEY")
    }

    /// The variables each gateway needs; all set enables it, none set disables it, some set is
    /// a start-up error (a half-configured gateway is a mistake, not a choice).
    static let gatewayVariables: [(Gateway, [String])] = [
        (.vnpay, ["MATHFARM_VNPAY_TMN_CODE", "MATHFARM_VNPAY_HASH_SECRET", "MATHFARM_VNPAY_PAY_URL", "MATHFARM_VNPAY_API_URL"]),
        (.momo, ["MATHFARM_MOMO_PARTNER_CODE", "MATHFARM_MOMO_ACCESS_KEY", "MATHFARM_MOMO_SECRET_KEY", "MATHFARM_MOMO_API_URL"]),
        (.zalopay, ["MATHFARM_ZALOPAY_APP_ID", "MATHFARM_ZALOPAY_KEY1", "MATHFARM_ZALOPAY_KEY2", "MATHFARM_ZALOPAY_API_URL"]),
        (.bank, ["MATHFARM_BANK_BIN", "MATHFARM_BANK_ACCOUNT", "MATHFARM_BANK_ACCOUNT_NAME"]),
        (.bankWebhook, ["MATHFARM_BANK_WEBHOOK_KEY"]),
    ]

    /// What is wrong with the gateway variables in production (one line per variable); empty in
    /// development. Public sandbox keys are reported by `RepositorySecrets.problems`.
    public static func problems(in env: EnvironmentReader, mode: DeploymentMode) -> [String] {
        guard mode.isProduction else { return [] }
        var problems: [String] = []
        var anyEnabled = false
        for (gateway, variables) in gatewayVariables {
            let missing = variables.filter { env.optionalString($0) == nil }
            if missing.isEmpty {
                anyEnabled = true
            } else if missing.count < variables.count {
                problems += missing.map { "\($0) is not set, but other \(gateway.rawValue) variables are (set all of them, or none to disable it)" }
            }
        }
        for name in ["MATHFARM_VNPAY_TMN_CODE", "MATHFARM_MOMO_PARTNER_CODE"] {
            if let value = env.optionalString(name), RepositorySecrets.isPublic(value) {
                problems.append("\(name) is a public sandbox value")
            }
        }
        if let appID = env.optionalString("MATHFARM_ZALOPAY_APP_ID"), ["553", "554", "2553", "2554", "15847"].contains(appID) {
            problems.append("MATHFARM_ZALOPAY_APP_ID is a public sandbox app")
        }
        if anyEnabled, env.optionalString("MATHFARM_PUBLIC_URL") == nil {
            problems.append("MATHFARM_PUBLIC_URL is not set (the gateways need it for their return and notification URLs)")
        }
        return problems + RepositorySecrets.problems(in: env, mode: mode).filter { $0.hasPrefix("MATHFARM_VNPAY") || $0.hasPrefix("MATHFARM_MOMO") || $0.hasPrefix("MATHFARM_ZALOPAY") || $0.hasPrefix("MATHFARM_BANK") }
    }

    /// Whether `gateway` has its credentials (always in development).
    public func isEnabled(_ gateway: Gateway) -> Bool {
        switch gateway {
        case .vnpay: return !vnpayTmnCode.isEmpty && Self.isSet(vnpayHashSecret) && !vnpayPayURL.isEmpty
        case .momo: return !momoPartnerCode.isEmpty && Self.isSet(momoAccessKey) && Self.isSet(momoSecretKey) && !momoAPIURL.isEmpty
        case .zalopay: return zaloPayAppID > 0 && Self.isSet(zaloPayKey1) && Self.isSet(zaloPayKey2) && !zaloPayAPIURL.isEmpty
        case .bank: return !bankBIN.isEmpty && !bankAccount.isEmpty && !bankAccountName.isEmpty
        case .bankWebhook: return isEnabled(.bank) && Self.isSet(bankWebhookChecksumKey)
        }
    }

    private static func isSet(_ secret: String?) -> Bool { GatewaySignature.usable(secret) != nil }

    /// The gateway behind a payment method code (`payment_methods.method_type`).
    public static func gateway(ofMethod code: String) -> Gateway? {
        switch code {
        case "vnpay": return .vnpay
        case "momo": return .momo
        case "zalopay": return .zalopay
        case "bank_transfer", "qr_code": return .bank
        default: return nil
        }
    }

    /// Whether deposits by this method can be opened.
    public func isMethodEnabled(_ code: String) -> Bool {
        Self.gateway(ofMethod: code).map(isEnabled) ?? false
    }
}
