import Foundation
import Hummingbird
import MathFarmCore

/// `/healthz` (the process answers) and `/readyz` (every database and Redis answer).
struct HealthRoutes: Sendable {
    let services: MathFarmServices

    struct Readiness: Encodable {
        let status: String
        let checks: [String: String]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("readyz") { _, _ in
            var checks: [String: String] = [:]
            for (name, database) in services.pools.databases {
                do {
                    _ = try await withTimeout(.seconds(2)) { try await database.query("SELECT 1").collectRows() }
                    checks[name.rawValue] = "ok"
                } catch {
                    checks[name.rawValue] = "unreachable"
                }
            }
            checks["redis"] = await Self.redisCheck(services.redis)
            let ready = checks.values.allSatisfy { $0 == "ok" }
            return try JSONBody.response(
                Readiness(status: ready ? "ready" : "not_ready", checks: checks),
                status: ready ? .ok : .serviceUnavailable
            )
        }
    }
}

extension HealthRoutes {
    /// `ok`, `authentication_failed` (the credentials of MATHFARM_REDIS_URL are refused: a
    /// configuration fault, logged with the variable's name) or `unreachable`.
    static func redisCheck(_ redis: RedisClient) async -> String {
        do {
            let pong = try await withTimeout(.seconds(2)) { try await redis.command(["PING"]) }
            return pong == .status("PONG") ? "ok" : "unreachable"
        } catch let error as RedisError where error.kind == .authentication {
            return "authentication_failed"
        } catch {
            return "unreachable"
        }
    }
}

/// Runs `body`, giving up with a `CancellationError` after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw CancellationError()
        }
        guard let first = try await group.next() else { throw CancellationError() }
        group.cancelAll()
        return first
    }
}
