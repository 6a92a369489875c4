import Crypto
import Foundation
import Logging
import MathFarmCore
import MathSolvers
import NIOCore
import UserService

/// The customer side of the solve pipeline: submit (validate → hold → record → doorbell),
/// look up, list, cancel.
///
/// Submissions are validated one by one here, before any money moves, then written in batches:
/// concurrent submissions of all customers share one payment transaction, one solver statement
/// and one Redis round trip (`JobLifecycle.submit` behind a `BatchCoalescer`). With an
/// Idempotency-Key the job id is derived from the key and the request's hash is stored on the
/// job, so the job row itself answers a repeated request.
public struct SolveService: Sendable {
    let catalog: ProblemCatalog
    let registry: SolverRegistry
    let store: SolutionStore
    let lifecycle: JobLifecycle
    let waiters: JobCompletionWaiters
    let submissions: BatchCoalescer<JobLifecycle.Submission, JobLifecycle.Submitted>
    let holdTTL: Duration
    let logger: Logger

    /// Largest `POST /solutions` body: room for the largest per-problem input
    /// (`SolverRegistry.maxInputBytes(for:)`), which is then checked per problem.
    public static let maxBodyBytes = 1024 * 1024 + 4096
    public static let maxWaitSeconds = 30
    /// Most submissions written in one batch.
    public static let maxBatch = 256

    public init(
        catalog: ProblemCatalog, registry: SolverRegistry, store: SolutionStore, lifecycle: JobLifecycle,
        waiters: JobCompletionWaiters, holdTTL: Duration, logger: Logger
    ) {
        self.catalog = catalog
        self.registry = registry
        self.store = store
        self.lifecycle = lifecycle
        self.waiters = waiters
        self.submissions = BatchCoalescer(maxBatch: Self.maxBatch) { batch in
            try await lifecycle.submit(batch, by: "api")
        }
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

    /// `POST /api/v1/solutions`. With an Idempotency-Key, a repeat of the same request answers
    /// what the first did (marked replayed), a different request under the key is a 422.
    public func submit(principal: CustomerPrincipal, body raw: ByteBuffer, idempotencyKey: String?) async throws -> IdempotencyStore.StoredResponse {
        let body = try JSONBody.decode(SubmitBody.self, from: raw)
        guard let key = idempotencyKey else {
            return try await submit(userID: principal.userID, role: principal.role, body: body, jobID: UUID(), requestHash: nil)
        }
        let scope = "solve:\(principal.userID.uuidString.lowercased())"
        return try await submit(
            userID: principal.userID, role: principal.role, body: body, jobID: Self.jobID(scope: scope, key: key),
            requestHash: SecretToken.sha256Hex(Data(raw.readableBytesView))
        )
    }

    /// A job id derived from the idempotency key, so a retry after a crash finds the same hold
    /// and the same row instead of paying twice.
    static func jobID(scope: String, key: String) -> UUID {
        UUID(nameBased: scope + "\n" + key)
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
        return try await submit(
            userID: record.userID, role: customerRole, body: body, jobID: Self.jobID(scope: "rerun", key: original.uuidString.lowercased()),
            requestHash: nil
        )
    }

    private func submit(userID: UUID, role: String, body: SubmitBody, jobID: UUID, requestHash: String?) async throws -> IdempotencyStore.StoredResponse {
        guard let problem = try await catalog.problem(code: body.problem), problem.isActive, registry.handles(problem.code) else {
            throw APIError(
                .unprocessableContent, code: "unknown_problem",
                vi: "Không có dạng bài '\(body.problem.prefix(64))'. Xem GET /api/v1/problems.",
                en: "There is no problem type '\(body.problem.prefix(64))'. See GET /api/v1/problems.",
                details: ["field": "problem"]
            )
        }
        let inputData = try JSONBody.encode(body.input)
        let inputLimit = registry.maxInputBytes(for: problem.code)
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
        let submission = JobLifecycle.Submission(
            jobID: jobID, userID: userID, problemID: problem.id, problemCode: problem.code,
            input: String(decoding: inputData, as: UTF8.self), price: price, priority: priority,
            holdExpiry: holdTTL + .seconds(problem.timeoutSeconds), requestHash: requestHash
        )
        switch try await submissions.submit(submission) {
        case .queued(let cost, let replayed):
            let submitted = Submitted(id: jobID, status: .queued, cost: cost, poll: "/api/v1/solutions/\(jobID.uuidString.lowercased())")
            return .init(status: 202, body: try JSONBody.encode(submitted), replayed: replayed)
        case .insufficientFunds:
            throw APIError.insufficientFunds
        case .keyReused:
            throw IdempotencyStore.keyReused
        case .keyAbandoned:
            throw APIError(
                .conflict, code: "idempotency_key_abandoned",
                vi: "Yêu cầu trước với Idempotency-Key này bị gián đoạn và đã được hoàn tiền; hãy gửi lại với khoá mới.",
                en: "The earlier request under this Idempotency-Key was interrupted and refunded; send it again with a new key."
            )
        }
    }

    /// The job, if `userID` owns it. `wait` holds the call until the job is terminal: it wakes on
    /// the lifecycle's completion notification, and re-reads at least every second in case a
    /// notification was missed.
    public func solution(id: UUID, userID: UUID, wait: Duration) async throws -> SolutionRecord {
        let deadline = ContinuousClock.now + wait
        while true {
            guard let record = try await store.record(id), record.userID == userID else { throw APIError.notFound("solution") }
            let remaining = deadline - ContinuousClock.now
            if record.status.isTerminal || remaining <= .zero {
                try await store.recordView(id: id, userID: userID, accessType: wait > .zero ? "poll" : "view")
                return record
            }
            await waiters.wait(for: id, timeout: min(remaining, .seconds(1)))
        }
    }

    /// `queued → cancelled` and the hold refunded. 409 when the job already started.
    public func cancel(id: UUID, userID: UUID) async throws -> SolutionRecord {
        let cancelled = try await lifecycle.cancel(jobID: id, userID: userID, by: "api")
        guard let record = try await store.record(id), record.userID == userID else { throw APIError.notFound("solution") }
        if cancelled { return record }
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
