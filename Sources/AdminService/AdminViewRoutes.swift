import Foundation
import Hummingbird
import MathFarmCore
import PaymentService
import SolverService
import UserService

/// Staff views over the other services, each through that service's Swift API (never its
/// database): customers, the problem catalog, daily statistics, and staff accounts (super admin).
/// Every change is audited with old and new values.
public struct AdminViewRoutes: Sendable {
    let staff: StaffAccounts
    let users: UserDirectory
    let catalog: ProblemCatalog
    let statistics: ProblemStatistics
    let solutions: SolutionStore
    let solve: SolveService
    let ledger: Ledger
    let actions: StaffActions

    public init(
        staff: StaffAccounts, audit: AuditLog, users: UserDirectory, catalog: ProblemCatalog, statistics: ProblemStatistics,
        solutions: SolutionStore, solve: SolveService, ledger: Ledger, trustProxy: Bool
    ) {
        self.solutions = solutions
        self.solve = solve
        self.ledger = ledger
        self.actions = StaffActions(staff: staff, audit: audit, trustProxy: trustProxy)
        self.staff = staff
        self.users = users
        self.catalog = catalog
        self.statistics = statistics
    }

    struct RoleBody: Decodable { let role: String }
    struct ProblemBody: Decodable {
        let price: Money?
        let timeoutSeconds: Int?
        let isActive: Bool?
        enum CodingKeys: String, CodingKey {
            case price
            case timeoutSeconds = "timeout_seconds"
            case isActive = "is_active"
        }
    }
    struct NewStaffBody: Decodable {
        let username: String
        let email: String
        let fullName: String
        let password: String
        let permissions: [StaffPermission]?
        enum CodingKeys: String, CodingKey {
            case username, email, password, permissions
            case fullName = "full_name"
        }
    }
    struct StaffUpdateBody: Decodable {
        let permissions: [StaffPermission]?
        let isActive: Bool?
        enum CodingKeys: String, CodingKey {
            case permissions
            case isActive = "is_active"
        }
    }
    struct StatisticsList: Encodable { let days: [ProblemStatistics.Day] }
    struct StaffList: Encodable { let staff: [StaffAccounts.StaffEntry] }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("admin/users") { request, _ in
            _ = try await actions.authorize(request, .usersRead)
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let page = try await users.search(request.uri.queryParameters.get("q").map { String($0.prefix(100)) }, limit: limit, offset: offset)
            return try JSONBody.response(MathFarmCore.Page(items: page.items, total: page.total, limit: limit, offset: offset))
        }
        for (action, active) in [("activate", true), ("deactivate", false)] {
            api.post("admin/users/:id/\(action)") { request, context in
                let principal = try await actions.authorize(request, .usersWrite)
                let id = try StaffActions.id(context, "record")
                let previous = try await users.setActive(id, active)
                try await actions.record(principal, .update, .user, id, request, context, old: ["is_active": String(previous)], new: ["is_active": String(active)])
                return Response(status: .noContent)
            }
        }
        api.put("admin/users/:id/role") { request, context in
            let principal = try await actions.authorize(request, .usersWrite)
            let id = try StaffActions.id(context, "record")
            let body = try await JSONBody.decode(RoleBody.self, from: request)
            try FieldRules.text(body.role, field: "role", range: 1...50)
            let previous = try await users.setRole(id, body.role)
            try await actions.record(principal, .update, .user, id, request, context, old: ["role": previous], new: ["role": body.role])
            return Response(status: .noContent)
        }
        api.put("admin/problems/:code") { request, context in
            let principal = try await actions.authorize(request, .catalogWrite)
            guard let code = context.parameters.get("code") else { throw APIError.notFound("problem") }
            let body = try await JSONBody.decode(ProblemBody.self, from: request)
            let before = try await catalog.update(code: code, price: body.price, timeoutSeconds: body.timeoutSeconds, isActive: body.isActive)
            let after = try await catalog.problem(code: code) ?? before
            try await actions.record(
                principal, .update, .problem, after.id, request, context,
                old: ["price": before.price.description, "timeout_seconds": String(before.timeoutSeconds), "is_active": String(before.isActive)],
                new: ["price": after.price.description, "timeout_seconds": String(after.timeoutSeconds), "is_active": String(after.isActive)]
            )
            return try JSONBody.response(after)
        }
        api.get("admin/statistics") { request, _ in
            _ = try await actions.authorize(request, .solutionsRead)
            let query = request.uri.queryParameters
            func day(_ name: String) throws -> String? {
                guard let raw = query.get(name) else { return nil }
                guard raw.utf8.count == 10 else {
                    throw APIError.invalidField(name, vi: "\(name) có dạng YYYY-MM-DD.", en: "\(name) is YYYY-MM-DD.")
                }
                _ = try FieldRules.date(raw, field: name)  // a real calendar day, or 422
                return raw
            }
            let days = try await statistics.days(from: try day("from"), to: try day("to"), problem: query.get("problem").map { String($0.prefix(64)) })
            return try JSONBody.response(StatisticsList(days: days))
        }
        api.get("admin/solutions") { request, context in
            _ = try await actions.authorize(request, .solutionsRead)
            let query = request.uri.queryParameters
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let status: SolutionStatus? = try StaffActions.value(query.get("status"), field: "status")
            let page = try await solutions.list(
                userID: try StaffActions.uuid(query.get("user_id"), field: "user_id"), status: status, problem: query.get("problem").map { String($0.prefix(64)) },
                limit: limit, offset: offset
            )
            return try JSONBody.response(MathFarmCore.Page(items: page.items.map { SolutionView($0, language: context.language) }, total: page.total, limit: limit, offset: offset))
        }
        api.post("admin/solutions/:id/rerun") { request, context in
            let principal = try await actions.authorize(request, .solutionsRerun)
            let id = try StaffActions.id(context, "record")
            guard let job = try await solutions.record(id) else { throw APIError.notFound("solution") }
            let stored = try await solve.rerun(jobID: id, customerRole: try await users.role(of: job.userID))
            try await actions.record(principal, .rerun, .solution, id, request, context, old: ["status": job.status.rawValue], new: ["rerun": String(decoding: stored.body, as: UTF8.self)])
            return stored.response
        }
        api.get("admin/transactions") { request, _ in
            _ = try await actions.authorize(request, .usersRead)
            let query = request.uri.queryParameters
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let type: TransactionType? = try StaffActions.value(query.get("type"), field: "type")
            let status: TransactionStatus? = try StaffActions.value(query.get("status"), field: "status")
            let page = try await ledger.transactions(userID: try StaffActions.uuid(query.get("user_id"), field: "user_id"), type: type, status: status, limit: limit, offset: offset)
            return try JSONBody.response(MathFarmCore.Page(items: page.items, total: page.total, limit: limit, offset: offset))
        }
        api.get("admin/staff") { request, _ in
            _ = try await actions.superAdmin(request)
            return try JSONBody.response(StaffList(staff: try await staff.list()))
        }
        api.post("admin/staff") { request, context in
            let principal = try await actions.superAdmin(request)
            let body = try await JSONBody.decode(NewStaffBody.self, from: request)
            let created = try await staff.create(.init(username: body.username, email: body.email, fullName: body.fullName, password: body.password, isSuperAdmin: false, permissions: body.permissions ?? []))
            try await actions.record(principal, .create, .adminUser, created.id, request, context, old: nil, new: ["permissions": created.permissions.joined(separator: ",")])
            return try JSONBody.response(created, status: .created)
        }
        api.put("admin/staff/:id") { request, context in
            let principal = try await actions.superAdmin(request)
            let id = try StaffActions.id(context, "record")
            let body = try await JSONBody.decode(StaffUpdateBody.self, from: request)
            try await staff.update(id, by: principal.id, permissions: body.permissions, isActive: body.isActive)
            var new: [String: String] = [:]
            if let permissions = body.permissions { new["permissions"] = permissions.map(\.rawValue).sorted().joined(separator: ",") }
            if let active = body.isActive { new["is_active"] = String(active) }
            try await actions.record(principal, .update, .adminUser, id, request, context, old: nil, new: new)
            return Response(status: .noContent)
        }
        api.post("admin/staff/:id/unlock") { request, context in
            let principal = try await actions.superAdmin(request)
            let id = try StaffActions.id(context, "record")
            try await staff.unlock(id)
            try await actions.record(principal, .unlock, .adminUser, id, request, context, old: nil, new: nil)
            return Response(status: .noContent)
        }
    }
}
