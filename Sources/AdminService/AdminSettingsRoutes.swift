import Foundation
import Hummingbird
import MathFarmCore

/// Settings endpoints: the public ones for anyone, the full list and updates for staff with
/// `settings.write`. Encrypted values are masked everywhere, including the audit log.
public struct AdminSettingsRoutes: Sendable {
    let settings: SystemSettings
    let cache: SettingsCache
    let actions: StaffActions

    public init(staff: StaffAccounts, audit: AuditLog, settings: SystemSettings, cache: SettingsCache, trustProxy: Bool) {
        self.settings = settings
        self.cache = cache
        self.actions = StaffActions(staff: staff, audit: audit, trustProxy: trustProxy)
    }

    struct SettingList: Encodable { let settings: [SystemSettings.Setting] }
    struct UpdateBody: Decodable { let value: String }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("settings/public") { _, _ in
            try JSONBody.response(SettingList(settings: try await settings.publicSettings()))
        }
        api.get("admin/settings") { request, _ in
            _ = try await actions.authorize(request, .settingsWrite)
            return try JSONBody.response(SettingList(settings: try await settings.all()))
        }
        api.put("admin/settings/:key") { request, context in
            let principal = try await actions.authorize(request, .settingsWrite)
            guard let key = context.parameters.get("key"), key.count <= 100 else { throw APIError.notFound("setting") }
            let body = try await JSONBody.decode(UpdateBody.self, from: request)
            guard body.value.count <= 10_000 else { throw APIError.tooLong("value", limit: 10_000) }
            let (old, new) = try await settings.update(key: key, value: body.value)
            try await cache.refresh()
            try await actions.record(principal, .update, .setting, nil, request, context, old: ["key": key, "value": old ?? ""], new: ["key": key, "value": new])
            return try JSONBody.response(try await settings.all().first { $0.key == key })
        }
    }
}
