import Foundation
import Hummingbird
import MathFarmCore

/// `GET /api/v1/admin/audit-logs`: the audit trail for staff with `audit.read`, filtered by staff
/// member, action, entity, entity id and time range, newest first, paginated.
public struct AdminAuditRoutes: Sendable {
    let staff: StaffAccounts
    let audit: AuditLog

    public init(staff: StaffAccounts, audit: AuditLog) {
        self.staff = staff
        self.audit = audit
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("admin/audit-logs") { request, _ in
            _ = try await StaffActions(staff: staff, audit: audit, trustProxy: false).authorize(request, .auditRead)
            let query = request.uri.queryParameters
            let (limit, offset) = try Pagination.parse(request, maxLimit: 200)
            func date(_ name: String) throws -> Date? {
                guard let raw = query.get(name) else { return nil }
                return try FieldRules.date(raw, field: name)
            }
            let filter = AuditLog.Filter(
                staffID: try StaffActions.uuid(query.get("staff_id"), field: "staff_id"), action: query.get("action").map { String($0.prefix(50)) },
                entity: query.get("entity").map { String($0.prefix(50)) }, entityID: try StaffActions.uuid(query.get("entity_id"), field: "entity_id"), from: try date("from"), to: try date("to")
            )
            let page = try await audit.search(filter, limit: limit, offset: offset)
            return try JSONBody.response(MathFarmCore.Page(items: page.items, total: page.total, limit: limit, offset: offset))
        }
    }
}
