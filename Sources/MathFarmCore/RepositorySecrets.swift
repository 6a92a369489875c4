import Crypto
import Foundation

/// Every secret value that is written somewhere in this repository (the development defaults,
/// the gateways' public sandbox credentials, the examples in `workers/`), and the rule that
/// production never runs on one of them.
///
/// A value listed here is public: anyone who reads the repository or the gateways' sample code
/// can sign tokens or notifications with it. `RepositorySecretsTests` scans the repository for
/// `MATHFARM_*` secret assignments so that a new one cannot be added without being listed.
public enum RepositorySecrets {
    /// HS256 key of access tokens in development.
    public static let developmentJWTSecret = "mathfarm-local-development-secret-do-not-use-in-production"
    /// Phrase the development settings key (AES-256-GCM) is derived from.
    public static let developmentSettingsPhrase = "mathfarm-local-settings-key-do-not-use-in-production"
    /// payOS checksum key of the bank webhook in development.
    public static let developmentBankWebhookKey = "mathfarm-local-bank-webhook-key"

    /// The development settings key: SHA-256 of the phrase.
    public static var developmentSettingsKey: Data {
        Data(SHA256.hash(data: Data(developmentSettingsPhrase.utf8)))
    }

    /// VNPay's widely published sandbox pair (research/payments.md §1.8).
    public static let vnpaySandboxTmnCode = "CGXZLS0Z"
    public static let vnpaySandboxHashSecret = "XNBCJFAKAZQSGTARRLGCHVZWCIOIGSHN"
    /// MoMo's public test credentials (momo-wallet/payment samples).
    public static let momoSandboxPartnerCode = "MOMO"
    public static let momoSandboxAccessKey = "F8BBA842ECF85"
    public static let momoSandboxSecretKey = "K951B6PE1waDMi640xX08PD3vg6EkVlz"
    /// ZaloPay sandbox app 2553.
    public static let zaloPaySandboxAppID = 2553
    public static let zaloPaySandboxKey1 = "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL"
    public static let zaloPaySandboxKey2 = "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz"

    /// What development mode runs on for each variable the environment leaves unset: the
    /// repository's development keys and the gateways' public sandbox credentials and endpoints,
    /// so a local run works out of the box. The configuration code reads every secret without a
    /// default; these values reach it only through `EnvironmentReader.resolved(for:)`, which
    /// applies them in development and never in production (where a missing secret is refused,
    /// or disables its gateway).
    public static var developmentEnvironment: [String: String] {
        [
            "MATHFARM_JWT_SECRET": developmentJWTSecret,
            "MATHFARM_PG_URL": "postgres://postgres@127.0.0.1:55432/postgres",
            "MATHFARM_REDIS_URL": "redis://127.0.0.1:56379",
            "MATHFARM_SETTINGS_KEY": developmentSettingsKey.base64EncodedString(),
            "MATHFARM_VNPAY_TMN_CODE": vnpaySandboxTmnCode,
            "MATHFARM_VNPAY_HASH_SECRET": vnpaySandboxHashSecret,
            "MATHFARM_VNPAY_PAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            "MATHFARM_VNPAY_API_URL": "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
            "MATHFARM_MOMO_PARTNER_CODE": momoSandboxPartnerCode,
            "MATHFARM_MOMO_ACCESS_KEY": momoSandboxAccessKey,
            "MATHFARM_MOMO_SECRET_KEY": momoSandboxSecretKey,
            "MATHFARM_MOMO_API_URL": "https://test-payment.momo.vn",
            "MATHFARM_ZALOPAY_APP_ID": String(zaloPaySandboxAppID),
            "MATHFARM_ZALOPAY_KEY1": zaloPaySandboxKey1,
            "MATHFARM_ZALOPAY_KEY2": zaloPaySandboxKey2,
            "MATHFARM_ZALOPAY_API_URL": "https://sb-openapi.zalopay.vn",
            "MATHFARM_BANK_BIN": "970436",
            "MATHFARM_BANK_ACCOUNT": "0011001234567",
            "MATHFARM_BANK_ACCOUNT_NAME": "CONG TY MATHFARM",
            "MATHFARM_BANK_WEBHOOK_KEY": developmentBankWebhookKey,
        ]
    }

    /// Every public value, compared exactly and also case-insensitively (hex and base64 keys are
    /// often re-typed in another case).
    public static let publicValues: Set<String> = [
        developmentJWTSecret, developmentSettingsPhrase, developmentSettingsKey.base64EncodedString(),
        developmentBankWebhookKey,
        vnpaySandboxTmnCode, vnpaySandboxHashSecret,
        momoSandboxAccessKey, momoSandboxSecretKey,
        zaloPaySandboxKey1, zaloPaySandboxKey2,
        // Other sandbox keys published with the gateways' documentation and samples
        // (research/payments.md): VNPay DEMOV210, ZaloPay apps 553 and 15847, payOS's docs.
        "RAOEXHYVSDDIIENYWSLDIIZTANXUXZFJ",
        "9phuAOYhan4urywHTh0ndEXiV3pKHr5Q", "Iyz2habzyr7AG8SgvoBCbKwKi3UzlLi3",
        "0U93tRzdWEkMLVNYH90aBu5ca0Psql8T", "PurTcToVhvUt7vR2jO6He4lh3nfNEiks",
        "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675",
        // workers/mathfarm.env.example
        "CHANGE-ME-to-at-least-32-random-bytes-of-secret", "CHANGE-ME",
    ]

    private static let lowercasedPublicValues = Set(publicValues.map { $0.lowercased() })

    /// Whether `value` is (case-insensitively) one of the repository's public values.
    public static func isPublic(_ value: String) -> Bool {
        lowercasedPublicValues.contains(value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    /// Secrets production cannot run without: at least 32 bytes, not public.
    public static let requiredInProduction = ["MATHFARM_JWT_SECRET", "MATHFARM_SETTINGS_KEY"]

    /// Secrets that may be absent (the feature is then off) but never public in production.
    public static let optionalSecrets = [
        "MATHFARM_VNPAY_HASH_SECRET", "MATHFARM_MOMO_ACCESS_KEY", "MATHFARM_MOMO_SECRET_KEY",
        "MATHFARM_ZALOPAY_KEY1", "MATHFARM_ZALOPAY_KEY2", "MATHFARM_BANK_WEBHOOK_KEY", "MATHFARM_METRICS_TOKEN",
    ]

    public static let minimumSecretBytes = 32

    /// Connection strings carry the servers' credentials, so production has no default for them
    /// either: MATHFARM_PG_URL (unless each of `databases` has its own URL) and MATHFARM_REDIS_URL.
    static func missingConnections(in env: EnvironmentReader, databases: [ServiceDatabase] = ServiceDatabase.allCases) -> [String] {
        var missing: [String] = []
        let everyDatabaseNamed = databases.allSatisfy { env.optionalString($0.urlVariable) != nil }
        if env.optionalString("MATHFARM_PG_URL") == nil && !everyDatabaseNamed { missing.append("MATHFARM_PG_URL") }
        if env.optionalString("MATHFARM_REDIS_URL") == nil { missing.append("MATHFARM_REDIS_URL") }
        return missing.map { "\($0) is not set (required in production: no server, and no credentials, are assumed)" }
    }

    /// Connection strings whose password is a value written in the repository (the examples'
    /// `CHANGE-ME`), and a Sentinel password that is one.
    static func publicConnectionPasswords(in env: EnvironmentReader, databases: [ServiceDatabase]) -> [String] {
        var problems: [String] = []
        for name in ["MATHFARM_PG_URL", "MATHFARM_REDIS_URL"] + databases.map(\.urlVariable) {
            if let url = env.optionalString(name), let password = URLComponents(string: url)?.password, isPublic(password) {
                problems.append("\(name) carries a password written in the repository (public)")
            }
        }
        if let password = env.optionalString("MATHFARM_REDIS_SENTINEL_PASSWORD"), isPublic(password) {
            problems.append("MATHFARM_REDIS_SENTINEL_PASSWORD is a value written in the repository (public)")
        }
        return problems
    }

    /// What a worker host's environment lacks in `mode`: only the connections it uses (Redis,
    /// the solver and payment databases) and no test-only switch. It holds no other secret.
    public static func workerProblems(in env: EnvironmentReader, mode: DeploymentMode) -> [String] {
        guard mode.isProduction else { return [] }
        var problems = missingConnections(in: env, databases: WorkerConfiguration.databases)
        problems += publicConnectionPasswords(in: env, databases: WorkerConfiguration.databases)
        if (try? env.bool("MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS", default: false)) == true {
            problems.append(diagnosticProblemsRefused)
        }
        return problems
    }

    static let diagnosticProblemsRefused = "MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS is a test-only switch and is refused in production"

    /// What is wrong with the environment's secrets in `mode`: one line per offending variable,
    /// naming it (never its value). Empty in development, where the defaults are meant.
    public static func problems(in env: EnvironmentReader, mode: DeploymentMode) -> [String] {
        guard mode.isProduction else { return [] }
        var problems: [String] = []
        for name in requiredInProduction {
            guard let value = env.optionalString(name) else {
                problems.append("\(name) is not set (required in production)")
                continue
            }
            if isPublic(value) {
                problems.append("\(name) is a value written in the repository (public)")
            } else if name == "MATHFARM_SETTINGS_KEY" {
                if let key = Data(base64Encoded: value), key.count == 32 {
                    if key == developmentSettingsKey { problems.append("\(name) is the development key (public)") }
                } else {
                    problems.append("\(name) must be 32 random bytes, base64-encoded")
                }
            } else if value.utf8.count < minimumSecretBytes {
                problems.append("\(name) is shorter than \(minimumSecretBytes) bytes")
            }
        }
        problems += missingConnections(in: env)
        problems += publicConnectionPasswords(in: env, databases: ServiceDatabase.allCases)
        for name in optionalSecrets {
            if let value = env.optionalString(name), isPublic(value) {
                problems.append("\(name) is a value written in the repository (a public sandbox or example key)")
            }
        }
        if (try? env.bool("MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS", default: false)) == true {
            problems.append(diagnosticProblemsRefused)
        }
        return problems
    }
}
