import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import PaymentService
import SolverService
import Testing

/// Settings that make the pipeline's timers test-sized: short visibility timeout, fast
/// reconciler, diagnostic problems on (3 s timeout), half a second of hard-deadline grace.
let pipelineOverrides: [String: String] = [
    "MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS": "1",
    "MATHFARM_HARD_TIMEOUT_GRACE_MS": "500",
    "MATHFARM_VISIBILITY_TIMEOUT_MS": "3000",
    "MATHFARM_REQUEUE_AFTER_MS": "1000",
    "MATHFARM_RECONCILE_INTERVAL_MS": "300",
    "MATHFARM_HOLD_GRACE": "5",
    "LOG_LEVEL": "warning",
]

/// The API (router test client), its services, and the environment a worker pool needs.
struct Pipeline: Sendable {
    let client: any TestClientProtocol
    let services: MathFarmServices
    let environment: [String: String]

    func startWorkers(_ processes: Int) async throws -> WorkerPool {
        let pool = try WorkerPool(environment: environment, processes: processes)
        do {
            try await pool.waitForWorkers(processes)
        } catch {
            await pool.stop(grace: .seconds(1))
            throw error
        }
        return pool
    }

    /// A customer with `balance` VND and a token.
    func customer(balance: Int64, premium: Bool = false) async throws -> (id: UUID, token: String) {
        let email = "c\(UUID().uuidString.prefix(8).lowercased())@example.vn"
        let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: email))
        let id = try #require(registered.string("user", "id").flatMap(UUID.init(uuidString:)))
        if premium {
            try await services.pools[.user].query("UPDATE users SET role_id = (SELECT id FROM user_roles WHERE role_name = 'premium_user') WHERE id = \(id)")
        }
        if balance > 0 {
            _ = try await services.ledger.credit(userID: id, amount: Money(dong: balance), reference: "fund-\(id)", reason: "test", changedBy: "test")
        }
        let login = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"\#(email)","password":"correct-horse-1"}"#)
        return (id, try #require(login.string("access_token")))
    }

    func submit(_ token: String, problem: String = "quadratic_equation", input: String, key: String? = nil) async throws -> JSONResponse {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await client.send(.post, "/api/v1/solutions", json: #"{"problem":"\#(problem)","input":\#(input)}"#, token: token, headers: headers)
    }

    /// Polls until the job is terminal and its charge settled or refunded (the worker writes the
    /// outcome a moment before it settles), or `timeout` passes; returns the last view.
    func waitTerminal(_ id: String, token: String, timeout: Duration = .seconds(30)) async throws -> JSONResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            let view = try await client.send(.get, "/api/v1/solutions/\(id)?wait=1", token: token)
            let status = view.string("status") ?? ""
            if ContinuousClock.now >= deadline { return view }
            if ["completed", "failed", "timeout", "cancelled"].contains(status), let jobID = UUID(uuidString: id),
               try await services.chargeResolved(jobID) {
                return view
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// All five invariants, after the relay drained the outbox.
    func violations() async throws -> [InvariantViolation] {
        try await services.outboxRelay.drain()
        return try await services.ledgerReconciler.check() + services.jobReconciler.check()
    }
}

extension MathFarmServices {
    /// Whether the job's hold has left `pending` (settled or refunded).
    func chargeResolved(_ jobID: UUID) async throws -> Bool {
        guard let charge = try await solutionStore.record(jobID)?.chargeID else { return false }
        return try await ledger.holdStatuses([charge])[charge].map { $0.status != .pending } ?? false
    }
}

/// Runs a pipeline test: fresh databases, a private Redis key prefix, the API with its
/// background reconciler, diagnostic problems installed.
func withPipeline<T: Sendable>(
    _ overrides: [String: String] = [:],
    _ body: @escaping @Sendable (Pipeline) async throws -> T
) async throws -> T {
    try await withPipeline(on: try await TestStack.make(pipelineSettings(overrides)), body)
}

/// The pipeline's settings with `overrides`, and a private Redis key prefix.
func pipelineSettings(_ overrides: [String: String] = [:]) -> [String: String] {
    var settings = pipelineOverrides.merging(overrides) { $1 }
    settings["MATHFARM_REDIS_PREFIX"] = settings["MATHFARM_REDIS_PREFIX"] ?? "test-\(UUID().uuidString.prefix(8).lowercased())"
    return settings
}

/// Runs a pipeline test on databases that are already migrated (e.g. by another role).
func withPipeline<T: Sendable>(
    on stack: TestStack,
    _ body: @escaping @Sendable (Pipeline) async throws -> T
) async throws -> T {
    let services = try await stack.makeServices()
    let app = MathFarmApplication.application(services: services)
    return try await app.test(.router) { client in
        try await services.auditLog.ensurePartitions()
        try await services.prepare()
        try await services.jobQueue.ensureGroups()
        return try await body(Pipeline(client: client, services: services, environment: stack.environment))
    }
}
