import Foundation
import MathFarmCore

/// Gateway credentials and endpoints, from the environment only (never the database). The
/// defaults are the gateways' public sandbox credentials (research/payments.md §1.8, §2.5,
/// §3.5) and a development key for the bank webhook, so a local run works out of the box;
/// production sets every one of them.
public struct DepositConfiguration: Sendable {
    /// Where gateways send the customer back and post their notifications.
    public var publicURL: String
    public var depositTTL: Duration

    public var vnpayTmnCode: String
    public var vnpayHashSecret: String
    public var vnpayPayURL: String
    /// querydr and refund endpoint.
    public var vnpayAPIURL: String

    public var momoPartnerCode: String
    public var momoAccessKey: String
    public var momoSecretKey: String
    /// MoMo's API host (create, query, refund under /v2/gateway/api/).
    public var momoAPIURL: String

    public var zaloPayAppID: Int
    public var zaloPayKey1: String
    public var zaloPayKey2: String
    /// ZaloPay's API host (/v2/create, /v2/query, /v2/refund).
    public var zaloPayAPIURL: String

    /// The account that receives bank transfers and VietQR payments.
    public var bankBIN: String
    public var bankAccount: String
    public var bankAccountName: String
    /// payOS checksum key for the bank-transfer webhook.
    public var bankWebhookChecksumKey: String

    public init(environment env: EnvironmentReader = EnvironmentReader()) throws {
        publicURL = env.string("MATHFARM_PUBLIC_URL", default: "http://127.0.0.1:8080")
        depositTTL = .seconds(try env.int("MATHFARM_DEPOSIT_TTL_SECONDS", default: 900))
        vnpayTmnCode = env.string("MATHFARM_VNPAY_TMN_CODE", default: "CGXZLS0Z")
        vnpayHashSecret = env.string("MATHFARM_VNPAY_HASH_SECRET", default: "XNBCJFAKAZQSGTARRLGCHVZWCIOIGSHN")
        vnpayPayURL = env.string("MATHFARM_VNPAY_PAY_URL", default: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
        vnpayAPIURL = env.string("MATHFARM_VNPAY_API_URL", default: "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")
        momoPartnerCode = env.string("MATHFARM_MOMO_PARTNER_CODE", default: "MOMO")
        momoAccessKey = env.string("MATHFARM_MOMO_ACCESS_KEY", default: "F8BBA842ECF85")
        momoSecretKey = env.string("MATHFARM_MOMO_SECRET_KEY", default: "K951B6PE1waDMi640xX08PD3vg6EkVlz")
        momoAPIURL = env.string("MATHFARM_MOMO_API_URL", default: "https://test-payment.momo.vn")
        zaloPayAppID = try env.int("MATHFARM_ZALOPAY_APP_ID", default: 2553)
        zaloPayAPIURL = env.string("MATHFARM_ZALOPAY_API_URL", default: "https://sb-openapi.zalopay.vn")
        zaloPayKey1 = env.string("MATHFARM_ZALOPAY_KEY1", default: "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL")
        zaloPayKey2 = env.string("MATHFARM_ZALOPAY_KEY2", default: "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz")
        bankBIN = env.string("MATHFARM_BANK_BIN", default: "970436")
        bankAccount = env.string("MATHFARM_BANK_ACCOUNT", default: "0011001234567")
        bankAccountName = env.string("MATHFARM_BANK_ACCOUNT_NAME", default: "CONG TY MATHFARM")
        bankWebhookChecksumKey = env.string("MATHFARM_BANK_WEBHOOK_KEY", default: "mathfarm-local-bank-webhook-key")
    }
}
