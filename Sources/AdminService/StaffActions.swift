import Foundation
import Hummingbird
import MathFarmCore

/// What every staff endpoint does first and last: authenticate with a permission (or as super
/// admin), read its path and query parameters, and record the action in the audit trail with
/// the client and the execution time.
struct StaffActions: Sendable {
    let staff: StaffAccounts
    let audit: AuditLog
    let trustProxy: Bool

    func authorize(_ request: Request, _ permission: StaffPermission) async throws -> StaffPrincipal {
        let principal = try await staff.authenticate(bearer: RequestMetadata.bearerToken(request))
        try principal.require(permission)
        return principal
    }

    func superAdmin(_ request: Request) async throws -> StaffPrincipal {
        let principal = try await staff.authenticate(bearer: RequestMetadata.bearerToken(request))
        guard principal.isSuperAdmin else { throw APIError.forbidden(permission: "super_admin") }
        return principal
    }

    func record(
        _ principal: StaffPrincipal, _ action: AuditLog.Action, _ entity: AuditLog.Entity, _ id: UUID?, _ request: Request, _ context: AppRequestContext,
        old: [String: String]? = nil, new: [String: String]? = nil
    ) async throws {
        try await audit.record(
            staff: principal, action, entity, id, client: RequestMetadata(request: request, context: context, trustProxy: trustProxy),
            old: old, new: new, since: context.receivedAt
        )
    }

    /// The `:id` path parameter; 404 naming `what` when it is not a UUID.
    static func id(_ context: AppRequestContext, _ what: String) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound(what) }
        return id
    }

    /// An optional UUID query parameter; 422 when present and malformed.
    static func uuid(_ raw: String?, field: String) throws -> UUID? {
        guard let raw else { return nil }
        guard let id = UUID(uuidString: raw) else { throw APIError.invalidField(field, vi: "\(field) phải là UUID.", en: "\(field) must be a UUID.") }
        return id
    }

    /// An optional enum query parameter; 422 when present and not one of the values.
    static func value<Value: RawRepresentable>(_ raw: String?, field: String) throws -> Value? where Value.RawValue == String {
        guard let raw else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw APIError.invalidField(field, vi: "Giá trị '\(raw.prefix(50))' của \(field) không hợp lệ.", en: "'\(raw.prefix(50))' is not a valid \(field).")
        }
        return value
    }
}
