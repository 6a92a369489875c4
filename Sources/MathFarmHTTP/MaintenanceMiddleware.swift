import Hummingbird
import MathFarmCore

/// While the `maintenance_mode` setting is on, new solves and deposits are refused with 503;
/// everything else (reads, polling, gateway notifications, staff) continues.
struct MaintenanceMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let settings: SettingsCache

    static let guardedPaths: Set<String> = ["/api/v1/solutions", "/api/v1/deposits"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, Self.guardedPaths.contains(request.uri.path), await settings.bool("maintenance_mode") == true {
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
