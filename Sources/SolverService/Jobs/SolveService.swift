import Crypto
import Foundation
import Logging
import MathFarmCore
import NIOCore
import PaymentService
import UserService

/// The customer side of the solve pipeline: submit (validate → hold → record → doorbell),
/// look up, list, cancel.
public struct SolveService: Sendable {
    let catalog: ProblemCatalog
    let registry: SolverRegistry
    let store: SolutionStore
    let queue: JobQueue
    let ledger: Ledger
    let settlement: JobSettlement
    let idempotency: IdempotencyStore
    let holdTTL: Duration
    let logger: Logger

    /// Largest `POST /solutions` body: room for the largest per-problem input
    /// (`SolverRegistry.maxInputBytes(for:)`), which is then checked per problem.
    public static let maxBodyBytes = 1024 * 1024 + 4096
    public static let maxWaitSeconds = 30

    public init(
        catalog: ProblemCatalog, registry: SolverRegistry, store: SolutionStore, queue: JobQueue, ledger: Ledger,
        idempotency: IdempotencyStore, holdTTL: Duration, logger: Logger
    ) {
        self.catalog = catalog
        self.registry = registry
        self.store = store
        self.queue = queue
        self.ledger = ledger
        self.settlement = JobSettlement(ledger: ledger, store: store)
        self.idempotency = idempotency
        self.holdTTL = holdTTL
        self.logger = logger
    }

    public struct Submitted: Encodable, Sendable {
        public var id: UUID
        public var status: SolutionStatus
        public var cost: Money
        public var poll: String
    }

    struct SubmitBody: Decodable {
        let problem: String
        let input: JSONValue
    }

    /// `POST /api/v1/solutions`. The response is stored under the Idempotency-Key if one came.
    public func submit(principal: CustomerPrincipal, body raw: ByteBuffer, idempotencyKey: String?) async throws -> IdempotencyStore.StoredResponse {
        let body = try JSONBody.decode(SubmitBody.self, from: raw)
        guard let key = idempotencyKey else {
            return try await submit(userID: principal.userID, role: principal.role, body: body, jobID: UUID())
        }
        let scope = "solve:\(principal.userID.uuidString.lowercased())"
        return try await idempotency.run(scope: scope, key: key, requestBody: raw) {
            try await submit(userID: principal.userID, role: principal.role, body: body, jobID: Self.jobID(scope: scope, key: key))
        }
    }

    /// A job id derived from the idempotency key, so a retry after a crash finds the same hold
    /// and the same row instead of paying twice.
    static func jobID(scope: String, key: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data((scope + "\n" + key).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5-style (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Staff re-run of a failed or timed-out job: a new job for the same customer, problem and
    /// input, charged like any other (a hold, settled only if it succeeds). Its id is derived
    /// from the original's, so asking twice makes one job.
    public func rerun(jobID original: UUID, customerRole: String) async throws -> IdempotencyStore.StoredResponse {
        guard let record = try await store.record(original) else { throw APIError.notFound("solution") }
        guard record.status == .failed || record.status == .timeout else {
            throw APIError(.conflict, code: "not_rerunnable", vi: "Chỉ chạy lại được bài thất bại hoặc quá giờ.", en: "Only a failed or timed-out job can be re-run.")
        }
        let body = SubmitBody(problem: record.problemCode, input: record.input)
        return try await submit(userID: record.userID, role: customerRole, body: body, jobID: Self.jobID(scope: "rerun", key: original.uuidString.lowercased()))
    }

    private func submit(userID: UUID, role: String, body: SubmitBody, jobID: UUID) async throws -> IdempotencyStore.StoredResponse {
        guard let problem = try await catalog.problem(code: body.problem), problem.isActive,
              problem.code != DiagnosticSolver.sleepCode || registry.diagnosticsEnabled,
              problem.code != DiagnosticSolver.crashCode || registry.diagnosticsEnabled
        else {
            throw APIError(
                .unprocessableContent, code: "unknown_problem",
                vi: "Không có dạng bài '\(body.problem.prefix(64))'. Xem GET /api/v1/problems.",
                en: "There is no problem type '\(body.problem.prefix(64))'. See GET /api/v1/problems.",
                details: ["field": "problem"]
            )
        }
        let inputData = try JSONBody.encode(body.input)
        let inputLimit = SolverRegistry.maxInputBytes(for: problem.code)
        guard inputData.count <= inputLimit else {
            throw APIError(
                .contentTooLarge, code: "input_too_large",
                vi: "Đầu vào dài quá \(inputLimit) byte cho dạng bài này.", en: "The input is larger than \(inputLimit) bytes for this problem type.",
                details: ["field": "input", "limit": String(inputLimit)]
            )
        }
        do {
            try registry.validate(code: problem.code, input: inputData)
        } catch {
            let field = "input" + (error.field.map { $0 == "input" ? "" : ".\($0)" } ?? "")
            throw APIError(.unprocessableContent, code: error.code, vi: error.message.vi, en: error.message.en, details: ["field": field])
        }
        let premium = role == "premium_user"
        let price = catalog.price(of: problem, premium: premium)
        let priority: JobQueue.Priority = premium ? .premium : .standard
        let hold = try await ledger.placeHold(
            userID: userID, amount: price, reference: "solve-\(jobID.uuidString.lowercased())",
            expiresIn: holdTTL + .seconds(problem.timeoutSeconds), description: "\(problem.code) \(jobID.uuidString.lowercased())",
            changedBy: "api"
        )
        let input = String(decoding: inputData, as: UTF8.self)
        try await store.create(
            id: jobID, userID: userID, problemID: problem.id, input: input, cost: price, chargeID: hold.id,
            priority: priority.rawValue
        )
        do {
            let entry = try await queue.enqueue(jobID: jobID, priority: priority)
            try await store.setQueueEntry(id: jobID, stream: entry.stream, entryID: entry.entryID)
        } catch {
            // PostgreSQL has the job; the reconciler rings the doorbell once Redis is back.
            logger.warning("enqueue failed; the reconciler will re-enqueue", metadata: ["job": "\(jobID)", "error": "\(error)"])
        }
        let submitted = Submitted(id: jobID, status: .queued, cost: price, poll: "/api/v1/solutions/\(jobID.uuidString.lowercased())")
        return .init(status: 202, body: try JSONBody.encode(submitted))
    }

    /// The job, if `userID` owns it. `wait` holds the call until the job is terminal.
    public func solution(id: UUID, userID: UUID, wait: Duration) async throws -> SolutionRecord {
        let deadline = ContinuousClock.now + wait
        while true {
            guard let record = try await store.record(id), record.userID == userID else { throw APIError.notFound("solution") }
            if record.status.isTerminal || ContinuousClock.now >= deadline {
                try await store.recordView(id: id, userID: userID, accessType: wait > .zero ? "poll" : "view")
                return record
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// `queued → cancelled` and the hold refunded. 409 when the job already started.
    public func cancel(id: UUID, userID: UUID) async throws -> SolutionRecord {
        let (cancelled, record) = try await store.cancel(id: id, userID: userID)
        guard let record, record.userID == userID else { throw APIError.notFound("solution") }
        if cancelled {
            try await settlement.resolve(jobID: id, status: .cancelled, chargeID: record.chargeID, by: "api")
            return try await store.record(id) ?? record
        }
        throw APIError(
            .conflict, code: "not_cancellable",
            vi: "Chỉ huỷ được bài đang chờ; bài này đang ở trạng thái \(record.status.rawValue).",
            en: "Only queued jobs can be cancelled; this one is \(record.status.rawValue).",
            details: ["status": record.status.rawValue]
        )
    }

    public func list(userID: UUID, status: SolutionStatus?, problem: String?, limit: Int, offset: Int) async throws -> (items: [SolutionRecord], total: Int) {
        try await store.list(userID: userID, status: status, problem: problem, limit: limit, offset: offset)
    }
}
