import AdminService
import Foundation
import MathFarmCore
import MathFarmHTTP
import Logging
import ServiceLifecycle
import Testing

/// Runtime settings: typed validation, public reads, encryption that never shows the clear
/// value, the maintenance switch and the premium discount taking effect without a restart.
@Suite("System settings", .serialized)
struct SettingsTests {
    @Test func validationPermissionsAndEncryption() async throws {
        try await withPipeline { pipeline in
            let client = pipeline.client
            let services = pipeline.services
            let publicList = try await client.send(.get, "/api/v1/settings/public")
            let publicKeys = (publicList.json["settings"] as? [[String: Any]])?.compactMap { $0["key"] as? String } ?? []
            #expect(publicKeys.contains("site_name") && publicKeys.contains("maintenance_mode"))
            #expect(!publicKeys.contains("smtp_password") && !publicKeys.contains("premium_discount_percent"))

            try await makeStaff(services, username: "ops", permissions: [.settingsWrite])
            try await makeStaff(services, username: "support", permissions: [.usersRead])
            let ops = try await staffToken(client, "ops")
            let support = try await staffToken(client, "support")
            #expect(try await client.send(.get, "/api/v1/admin/settings", token: support).status == 403)
            #expect(try await client.send(.put, "/api/v1/admin/settings/site_name", json: #"{"value":"X"}"#, token: support).status == 403)

            for (key, value) in [("premium_discount_percent", "95"), ("premium_discount_percent", "abc"), ("support_email", "nope"), ("maintenance_mode", "yes")] {
                let refused = try await client.send(.put, "/api/v1/admin/settings/\(key)", json: #"{"value":"\#(value)"}"#, token: ops)
                #expect(refused.status == 422 && refused.errorCode == "invalid_setting", "\(key)=\(value)")
            }
            #expect(try await client.send(.put, "/api/v1/admin/settings/no_such_key", json: #"{"value":"1"}"#, token: ops).status == 404)

            let secret = "s3cr3t-smtp-Pa55"
            let stored = try await client.send(.put, "/api/v1/admin/settings/smtp_password", json: #"{"value":"\#(secret)"}"#, token: ops)
            #expect(stored.status == 200 && stored.string("value") == SystemSettings.mask)
            let listed = try await client.send(.get, "/api/v1/admin/settings", token: ops)
            #expect(!String(decoding: listed.body, as: UTF8.self).contains(secret))
            #expect(try await services.systemSettings.secret("smtp_password") == secret)
            let raw = try await services.pools[.admin].query("SELECT setting_value FROM system_settings WHERE setting_key = 'smtp_password'").collectRows()
            let ciphertext = try #require(try raw.first?.decode(String.self))
            #expect(ciphertext.hasPrefix("enc:v1:") && !ciphertext.contains(secret))
            let audit = try await services.pools[.admin].query("SELECT COALESCE(old_values::text, '') || COALESCE(new_values::text, '') FROM audit_logs WHERE entity_type = 'setting'").collectRows()
            #expect(!audit.isEmpty)
            for row in audit { #expect(!(try row.decode(String.self)).contains(secret)) }
        }
    }

    @Test func maintenanceModeAndThePremiumDiscountTakeEffectAtOnce() async throws {
        try await withPipeline { pipeline in
            let client = pipeline.client
            try await makeStaff(pipeline.services, username: "ops2", permissions: [.settingsWrite])
            let ops = try await staffToken(client, "ops2")
            let (_, token) = try await pipeline.customer(balance: 10_000)
            #expect(try await client.send(.put, "/api/v1/admin/settings/maintenance_mode", json: #"{"value":"true"}"#, token: ops).status == 200)
            let solve = try await pipeline.submit(token, input: #"{"a": 1, "b": 2, "c": 1}"#)
            #expect(solve.status == 503 && solve.errorCode == "maintenance")
            let deposit = try await client.send(.post, "/api/v1/deposits", json: #"{"method":"qr_code","amount":20000}"#, token: token)
            #expect(deposit.status == 503)
            #expect(try await client.send(.get, "/api/v1/problems").status == 200)
            #expect(try await client.send(.get, "/api/v1/me/balance", token: token).status == 200)
            #expect(try await client.send(.put, "/api/v1/admin/settings/maintenance_mode", json: #"{"value":"false"}"#, token: ops).status == 200)
            #expect(try await pipeline.submit(token, input: #"{"a": 1, "b": 2, "c": 1}"#).status == 202)

            #expect(try await client.send(.put, "/api/v1/admin/settings/premium_discount_percent", json: #"{"value":"50"}"#, token: ops).status == 200)
            let catalog = try await client.send(.get, "/api/v1/problems")
            let quadratic = try #require((catalog.json["problems"] as? [[String: Any]])?.first { $0["code"] as? String == "quadratic_equation" })
            #expect(quadratic["premium_price"] as? String == "1000.00")
        }
    }

    @Test func aChangeReachesEveryOtherProcessAtOnce() async throws {
        let stack = try await TestStack.make()
        try await stack.run { writer in
            // A second process's services, with its listener and no poll: only a notification
            // can bring it a change.
            let reader = try await stack.makeServices()
            let listener = SettingsChangeListener(database: reader.pools[.admin], cache: reader.settingsCache, logger: reader.logger, retryDelay: .milliseconds(100))
            let group = ServiceGroup(configuration: .init(services: [reader.pools, listener], logger: reader.logger))
            let running = Task { try await group.run() }
            func readerSees(_ expected: Bool) async throws -> Bool {
                for _ in 0..<200 {  // 10 s at most: generous for a loaded CI machine, instant in practice
                    if await reader.settingsCache.bool("maintenance_mode") == expected { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            #expect(try await readerSees(false))  // loaded when the listener starts
            _ = try await writer.systemSettings.update(key: "maintenance_mode", value: "true")
            #expect(try await readerSees(true))
            // A change made by hand in SQL is pushed too.
            try await writer.pools[.admin].query("UPDATE system_settings SET setting_value = 'false' WHERE setting_key = 'maintenance_mode'")
            #expect(try await readerSees(false))
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}

/// A log handler that keeps every line (with metadata), for checking what reaches the logs.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let error = event.error.map { " \(String(reflecting: $0))" } ?? ""
        sink.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })\(error)")
    }
}

@Suite("Encrypted settings in logs")
struct EncryptedSettingLogTests {
    @Test func theClearValueNeverReachesALogLine() async throws {
        let sink = CapturedLogs()
        let stack = try await TestStack.make()
        let services = try await MathFarmServices(
            configuration: stack.configuration, logger: Logger(label: "capture") { _ in CapturingLogHandler(sink: sink) }
        )
        let app = MathFarmApplication.application(services: services)
        let secret = "never-log-this-Pa55word"
        try await app.test(.router) { client in
            try await services.auditLog.ensurePartitions()
            try await makeStaff(services, username: "ops3", permissions: [.settingsWrite])
            let ops = try await staffToken(client, "ops3")
            #expect(try await client.send(.put, "/api/v1/admin/settings/smtp_password", json: #"{"value":"\#(secret)"}"#, token: ops).status == 200)
            #expect(try await client.send(.put, "/api/v1/admin/settings/smtp_password", json: #"{"value":"\#(secret)", "x":}"#, token: ops).status == 400)
            _ = try await client.send(.get, "/api/v1/admin/settings", token: ops)
        }
        #expect(sink.all.count > 3)
        #expect(!sink.all.contains { $0.contains(secret) })
    }
}
