import Hummingbird
import MathFarmCore

/// While the `maintenance_mode` setting is on, new solves and deposits are refused with 503;
/// everything else (reads, polling, gateway notifications, staff) continues.
///
/// The rule matches the route the router resolved (`context.endpointPath`, the registered
/// template), not the request's spelling of it: `/api/v1/solutions/` and `/api/v1//solutions`
/// resolve to the same route and meet the same rule (and `RequestHygieneMiddleware` refuses
/// such spellings before they get here anyway).
struct MaintenanceMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let settings: SettingsCache

    static let guardedRoutes: Set<String> = ["/api/v1/solutions", "/api/v1/deposits"]

    static func isGuarded(method: HTTPRequest.Method, route: String?) -> Bool {
        guard method == .post, let route else { return false }
        let canonical = "/" + route.split(separator: "/").joined(separator: "/")
        return guardedRoutes.contains(canonical)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isGuarded(method: request.method, route: context.endpointPath ?? request.uri.path), await settings.bool("maintenance_mode") == true {
            var error = APIError(
                .serviceUnavailable, code: "maintenance",
                vi: "Hệ thống đang bảo trì; tạm thời chưa nhận bài và nạp tiền mới.", en: "MathFarm is under maintenance; new solves and deposits are paused."
            )
            if let notice = await settings.string("maintenance_message") { error.details = ["notice": notice] }
            throw error
        }
        return try await next(request, context)
    }
}
