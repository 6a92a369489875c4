import Foundation
import Hummingbird
import MathFarmCore
import UserService

/// Customer-facing ledger endpoints: `/api/v1/me/balance`, `/api/v1/me/transactions`.
public struct PaymentRoutes: Sendable {
    let ledger: Ledger
    let auth: CustomerAuth

    public static let maxPageSize = 100

    public init(ledger: Ledger, auth: CustomerAuth) {
        self.ledger = ledger
        self.auth = auth
    }

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.get("me/balance") { request, _ in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            return try JSONBody.response(try await ledger.balance(of: principal.userID))
        }
        api.get("me/transactions") { request, _ in
            let principal = try await auth.authenticate(bearer: RequestMetadata.bearerToken(request))
            let (limit, offset) = try Pagination.parse(request, maxLimit: Self.maxPageSize)
            let page = try await ledger.transactions(of: principal.userID, limit: limit, offset: offset)
            return try JSONBody.response(Page(items: page.items, total: page.total, limit: limit, offset: offset))
        }
    }
}
