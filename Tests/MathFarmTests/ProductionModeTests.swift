import Crypto
import Foundation
import MathFarmCore
import MathFarmHTTP
import PaymentService
import SandboxGateway
import Testing

/// A fresh random secret: never a literal, so it is not "a value written in the repository".
func randomSecret() -> String { SecretToken.generate() }
func randomSettingsKey() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }

/// Issue 12 §1: production is the default and runs on no secret written in the repository.
@Suite("Production mode refuses public secrets")
struct ProductionModeTests {
    func problems(_ env: [String: String]) -> [String] {
        do {
            _ = try MathFarmConfiguration(environment: EnvironmentReader(env))
            return []
        } catch ConfigurationError.insecure(let problems) {
            return problems
        } catch {
            return ["\(error)"]
        }
    }

    /// Where production's servers are: connection strings carry credentials, so they have no
    /// default in production either.
    static let connections = ["MATHFARM_PG_URL": "postgres://mathfarm:pw@db.internal:5432/postgres", "MATHFARM_REDIS_URL": "redis://redis.internal:6379"]

    @Test func productionIsTheDefaultAndNeedsBothSecretsAndItsServers() throws {
        let found = problems([:])
        #expect(found.contains { $0.hasPrefix("MATHFARM_JWT_SECRET is not set") })
        #expect(found.contains { $0.hasPrefix("MATHFARM_SETTINGS_KEY is not set") })
        #expect(found.contains { $0.hasPrefix("MATHFARM_PG_URL is not set") })
        #expect(found.contains { $0.hasPrefix("MATHFARM_REDIS_URL is not set") })
        #expect(problems(["MATHFARM_ENV": "production"]).count == 4)
        let secrets = ["MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": randomSettingsKey()]
        #expect(problems(secrets).count == 2)
        #expect(problems(secrets.merging(Self.connections) { $1 }).isEmpty)
        // Every database named on its own: no server-wide URL needed.
        var perDatabase = secrets.merging(["MATHFARM_REDIS_URL": "redis://redis.internal:6379"]) { $1 }
        for database in ServiceDatabase.allCases { perDatabase[database.urlVariable] = "postgres://mathfarm:pw@db.internal:5432/\(database.rawValue)" }
        #expect(problems(perDatabase).isEmpty)
        // Development runs on the local servers when nothing is set.
        #expect(try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development"])).redis.address == .init(host: "127.0.0.1", port: 56379))
        // A typo is not silently production or development.
        #expect(throws: ConfigurationError.self) { try MathFarmConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "dev"])) }
        #expect(problems(["MATHFARM_ENV": "development"]).isEmpty)
    }

    @Test func everyRepositoryValueIsRefusedAsASecret() {
        let settingsKey = randomSettingsKey()
        for value in RepositorySecrets.publicValues {
            let found = problems(["MATHFARM_JWT_SECRET": value, "MATHFARM_SETTINGS_KEY": settingsKey])
            #expect(found.contains { $0.hasPrefix("MATHFARM_JWT_SECRET") }, "\(value.prefix(6))… accepted")
            // Case does not make it secret again.
            #expect(!problems(["MATHFARM_JWT_SECRET": value.uppercased(), "MATHFARM_SETTINGS_KEY": settingsKey]).isEmpty)
        }
        let development = RepositorySecrets.developmentSettingsKey.base64EncodedString()
        #expect(problems(["MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": development]).contains { $0.hasPrefix("MATHFARM_SETTINGS_KEY") })
        #expect(problems(["MATHFARM_JWT_SECRET": String(randomSecret().prefix(9)), "MATHFARM_SETTINGS_KEY": settingsKey]).contains { $0.contains("shorter than 32") })
        let sixteenBytes = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        #expect(problems(["MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": sixteenBytes]).contains { $0.contains("32 random bytes") })
    }

    @Test func gatewaySandboxKeysAreRefusedAndMissingGatewaysAreDisabled() throws {
        let base = ["MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": randomSettingsKey()]
        let sandbox = base.merging(["MATHFARM_VNPAY_HASH_SECRET": RepositorySecrets.vnpaySandboxHashSecret]) { $1 }
        #expect(problems(sandbox).contains { $0.hasPrefix("MATHFARM_VNPAY_HASH_SECRET") })
        #expect(problems(base.merging(["MATHFARM_ZALOPAY_KEY2": RepositorySecrets.zaloPaySandboxKey2]) { $1 }).contains { $0.hasPrefix("MATHFARM_ZALOPAY_KEY2") })
        // Nothing set: every gateway is off, nothing runs on a default key.
        let off = try DepositConfiguration(environment: EnvironmentReader(base))
        for gateway in DepositConfiguration.Gateway.allCases { #expect(!off.isEnabled(gateway)) }
        #expect(off.vnpayHashSecret == nil && off.momoSecretKey == nil && off.zaloPayKey2 == nil && off.bankWebhookChecksumKey == nil)
        // Half a gateway is a start-up error naming what is missing.
        let half = DepositConfiguration.problems(in: EnvironmentReader(base.merging(["MATHFARM_MOMO_SECRET_KEY": randomSecret()]) { $1 }), mode: .production)
        #expect(half.contains { $0.hasPrefix("MATHFARM_MOMO_ACCESS_KEY is not set") })
        // All of a gateway's variables, none public: enabled.
        let vnpay = try DepositConfiguration(environment: EnvironmentReader(base.merging([
            "MATHFARM_VNPAY_TMN_CODE": "MFPROD01", "MATHFARM_VNPAY_HASH_SECRET": randomSecret(),
            "MATHFARM_VNPAY_PAY_URL": "https://pay.example.vn/vpcpay.html", "MATHFARM_VNPAY_API_URL": "https://pay.example.vn/api",
            "MATHFARM_PUBLIC_URL": "https://mathfarm.example.vn",
        ]) { $1 }))
        #expect(vnpay.isEnabled(.vnpay) && !vnpay.isEnabled(.momo))
        // The sandbox gateway does not run in production at all.
        #expect(throws: ConfigurationError.self) { try SandboxConfiguration(environment: EnvironmentReader(base)) }
    }

    /// Every `MATHFARM_…SECRET/KEY/TOKEN = value` written anywhere in the repository is on the
    /// public list (so production refuses it). Tests make their secrets at run time.
    @Test func secretsWrittenInTheRepositoryAreKnownPublic() throws {
        let root = TestStack.repositoryRoot
        // A quoted literal anywhere (`"MATHFARM_X": "value"`, `MATHFARM_X="value"`), or an
        // unquoted shell or env-file assignment (`MATHFARM_X=value`).
        let quoted = try NSRegularExpression(pattern: #"(MATHFARM_[A-Z0-9_]*(?:SECRET|_KEY|KEY[12]|TOKEN))"?\s*[:=]\s*["']([^"'\s]+)["']"#)
        let assigned = try NSRegularExpression(pattern: #"(MATHFARM_[A-Z0-9_]*(?:SECRET|_KEY|KEY[12]|TOKEN))=([^"'\s$][^\s]*)"#)
        var found: [(String, String, String)] = []
        let skip = [".build", ".git", ".mathfarm", "node_modules", ".venv"]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey])
        while let url = enumerator?.nextObject() as? URL {
            if skip.contains(url.lastPathComponent) { enumerator?.skipDescendants(); continue }
            guard ["swift", "sh", "md", "example", "yaml", "yml", "py", "env", "service", "sql", "run"].contains(url.pathExtension) || url.lastPathComponent == "run",
                  let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let patterns = url.pathExtension == "swift" ? [quoted] : [quoted, assigned]
            for match in patterns.flatMap({ $0.matches(in: text, range: NSRange(text.startIndex..., in: text)) }) {
                guard let name = Range(match.range(at: 1), in: text), let value = Range(match.range(at: 2), in: text) else { continue }
                let literal = String(text[value])
                // Placeholders, variables and interpolations are not values.
                if literal.count < 8 || literal.contains("$") || literal.contains("...") || literal.contains("\\(") || literal.hasPrefix("<") { continue }
                found.append((url.lastPathComponent, String(text[name]), literal))
            }
        }
        for (file, name, value) in found {
            #expect(RepositorySecrets.isPublic(value), "\(file): \(name) is set to a value production would accept")
        }
    }
}
