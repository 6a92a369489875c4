import Foundation
import Hummingbird
import MathFarmCore
import UserService

/// `/api/v1/problems` and `/api/v1/solutions`.
public struct SolutionRoutes: Sendable {
    let solve: SolveService
    let catalog: ProblemCatalog
    let auth: CustomerAuth

    public init(solve: SolveService, catalog: ProblemCatalog, auth: CustomerAuth) {
        self.solve = solve
        self.catalog = catalog
        self.auth = auth
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("problems") { _, _ in
            try JSONBody.response(["problems": try await catalog.problems()])
        }
        api.post("solutions") { request, _ in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            let key = try IdempotencyStore.key(from: request)
            let raw = try await JSONBody.bytes(of: request, limit: SolveService.maxBodyBytes)
            return try await solve.submit(principal: principal, body: raw, idempotencyKey: key).response
        }
        api.get("solutions") { request, context in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            let (limit, offset) = try Pagination.parse(request, maxLimit: 100)
            let query = request.uri.queryParameters
            var status: SolutionStatus?
            if let raw = query.get("status") {
                guard let parsed = SolutionStatus(rawValue: raw) else {
                    throw APIError.invalidField("status", vi: "Trạng thái không hợp lệ.", en: "Unknown status.")
                }
                status = parsed
            }
            let problem = query.get("problem").map { String($0.prefix(64)) }
            let page = try await solve.list(userID: principal.userID, status: status, problem: problem, limit: limit, offset: offset)
            return try JSONBody.response(Page(
                items: page.items.map { SolutionView($0, language: context.language) }, total: page.total, limit: limit, offset: offset
            ))
        }
        api.get("solutions/:id") { request, context in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("solution") }
            var wait = Duration.zero
            if let raw = request.uri.queryParameters.get("wait") {
                guard let seconds = Double(raw), seconds >= 0, seconds <= Double(SolveService.maxWaitSeconds) else {
                    throw APIError.invalidField(
                        "wait", vi: "wait phải từ 0 đến \(SolveService.maxWaitSeconds) giây.",
                        en: "wait must be between 0 and \(SolveService.maxWaitSeconds) seconds."
                    )
                }
                wait = .milliseconds(Int(seconds * 1000))
            }
            let record = try await solve.solution(id: id, userID: principal.userID, wait: wait)
            return try JSONBody.response(SolutionView(record, language: context.language))
        }
        api.delete("solutions/:id") { request, context in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("solution") }
            let record = try await solve.cancel(id: id, userID: principal.userID)
            return try JSONBody.response(SolutionView(record, language: context.language))
        }
    }
}
